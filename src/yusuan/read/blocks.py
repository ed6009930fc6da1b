"""The format-independent shape of a published file: paragraphs and grids of cell texts.

Every reader (extracted text, DOCX, XLSX, later PDF) turns its file into a list of ``Para`` and
``Grid`` blocks in reading order; everything after that (recognising tables, parsing sentences,
performance tables) works on these blocks only, so a new format needs only a new producer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from yusuan.disclosure import Location


@dataclass
class GridCell:
    text: str
    location: Location | None = None


@dataclass
class Para:
    text: str
    location: Location | None = None
    # Set by the PDF reader, where a page break may cut a paragraph: the first line is indented (a
    # paragraph starts there), and the last line ran to the right margin in mid-sentence.
    indented: bool = False
    open_end: bool = False


@dataclass
class Grid:
    """A table as a list of rows of cells; rows may have different lengths (merged cells)."""

    rows: list[list[GridCell]] = field(default_factory=list)
    location: Location | None = None

    def texts(self, r: int) -> list[str]:
        return [c.text for c in self.rows[r]]


@dataclass
class Unread:
    """A part of the file that holds content but could not be read (a scanned page inside a PDF
    with a text layer): it becomes a reading finding, so that nothing is dropped silently."""

    reason: str
    location: Location | None = None


Block = Para | Grid | Unread
