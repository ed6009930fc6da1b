"""Text in the form rules compare it: ``normalised`` (NFKC, no whitespace), the fast equal of
``yusuan.amounts.normalise_text``. A module of its own, importing nothing of the rules, so that ``quotes``
(which ``registry`` imports) can use it without an import cycle through ``paragraph_text``.
"""

from __future__ import annotations

import re
import unicodedata

# Full-width ASCII (U+FF01–FF5E) and the ideographic space map under NFKC to exactly these characters.
_WIDE_TO_ASCII = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_WIDE_CHAR = re.compile("[\uff01-\uff5e\u3000]")
_WIDE_AS_ASCII = {chr(wide): chr(ascii_) for wide, ascii_ in _WIDE_TO_ASCII.items()}


# The full-width forms Chinese text commonly holds (punctuation, the ideographic space), replaced first by
# plain str.replace: a replace of an absent character is a fast find, while the regex scan for the class
# of all full-width forms reads the whole text several times slower.
_COMMON_WIDE = tuple((wide, _WIDE_AS_ASCII[wide]) for wide in "，（）：；！？％\u3000")


def normalised(text: str) -> str:
    """``yusuan.amounts.normalise_text`` (NFKC, no whitespace), faster: mapping the full-width forms first
    leaves most Chinese paragraphs already in NFKC, which the quick check then confirms without the full
    normalisation; the result is the same (NFKC of a character equals NFKC of its compatibility mapping).
    ``str.split()`` and ``\\s`` agree on what whitespace is (CPython implements both with Py_UNICODE_ISSPACE)."""
    for wide, ascii_ in _COMMON_WIDE:
        text = text.replace(wide, ascii_)
    if not unicodedata.is_normalized("NFKC", text):
        # Another full-width form (a full-width digit or letter), or a character NFKC changes otherwise.
        # = text.translate(_WIDE_TO_ASCII): one replace per distinct full-width character is ~1.6x faster
        # than a callback per full-width run. Each is found by searching on from where the previous one was
        # first found (all before it are replaced): faster than listing every full-width character. Exact:
        # the replacements are ASCII, so no replacement creates another full-width character.
        search = _WIDE_CHAR.search
        m = search(text)
        while m is not None:
            wide = m.group()
            text = text.replace(wide, _WIDE_AS_ASCII[wide])
            m = search(text, m.start())
        if not unicodedata.is_normalized("NFKC", text):
            text = unicodedata.normalize("NFKC", text)
    return "".join(text.split())
