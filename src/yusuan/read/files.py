"""What kind of file this is, and turning unusable files into clear Chinese errors.

Type is decided by content (magic bytes), not only by extension: a ``.docx`` that is not a Word
zip, an encrypted (password-protected) Office file, an empty file or a binary file each get their
own message. Legacy ``.doc/.xls/.wps/.et`` are converted with LibreOffice when it is installed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from yusuan.errors import InputError, InputProblem

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy Office / encrypted OOXML container
LEGACY = {".doc": "docx", ".wps": "docx", ".xls": "xlsx", ".et": "xlsx"}


def fail(path: Path, message: str) -> InputError:
    return InputError(str(path), [InputProblem(path.name, message)])


HTML_SUFFIXES = (".html", ".htm")


def sniff(path: Path) -> str:
    """'text', 'html', 'docx', 'xlsx', 'pdf', 'legacy' – or raise InputError with the reason."""
    if not path.exists():
        raise fail(path, "文件不存在")
    if path.is_dir():
        raise fail(path, "这是一个文件夹，请给出公开文件本身（.docx、.xlsx、.pdf、.html 或 .txt）")
    head = path.read_bytes()[:8]
    if not head or not path.read_bytes().strip():
        raise fail(path, "文件是空的")
    suffix = path.suffix.lower()
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(_OLE):
        if suffix in LEGACY:
            return "legacy"
        raise fail(path, "文件已加密（设有打开密码）或是旧版 Office 格式，无法读取；请去掉密码后另存为 .docx/.xlsx 再试")
    if head.startswith(b"PK"):
        try:
            with zipfile.ZipFile(path) as z:
                names = set(z.namelist())
        except zipfile.BadZipFile:
            raise fail(path, "文件已损坏（压缩包结构无效），无法读取") from None
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        raise fail(path, "这是一个压缩包，但不是 Word（.docx）或 Excel（.xlsx）文件")
    if looks_like_html(path.read_bytes(), named_html=suffix in HTML_SUFFIXES):
        return "html"
    if suffix in (".docx", ".xlsx", ".pdf") + HTML_SUFFIXES:
        raise fail(path, f"扩展名是 {suffix}，但文件内容不是该格式")
    read_bytes_as_text(path)  # raises for binary content
    return "text"


# Enough of an HTML page for a file without an .html name to be taken for one.
_PAGE_START = re.compile(rb"^(\xef\xbb\xbf)?\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(!doctype\s+html|html[\s>])", re.I | re.S)
_ANY_TAG = re.compile(rb"<(html|head|body|table|tr|td|p|div|h[1-6]|br|span|meta)[\s/>]", re.I)


def looks_like_html(data: bytes, named_html: bool) -> bool:
    """A page that starts as one (``<!DOCTYPE html>``, ``<html>``); with an ``.html``/``.htm`` name a
    fragment with HTML tags near its start (a saved table) is enough."""
    head = data[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 (Word's “Unicode web page”)
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    if _PAGE_START.match(head):
        return True
    return named_html and b"\x00" not in head and _ANY_TAG.search(head) is not None


def read_bytes_as_text(path: Path) -> str:
    data = path.read_bytes()
    if b"\x00" in data[:4096]:
        raise fail(path, "不是文本文件，也不是可识别的 Word/Excel/PDF 文件")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise fail(path, "文本编码无法识别（应为 UTF-8 或 GB18030）")


def convert_legacy(path: Path, workdir: Path) -> Path:
    """Convert .doc/.xls/.wps/.et with LibreOffice into ``workdir``; clear message when it is missing."""
    target = LEGACY[path.suffix.lower()]
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise fail(path, f"旧版格式 {path.suffix} 需要先转换为 .{target}；未找到 LibreOffice（soffice），请安装后重试或手工另存为 .{target}")
    try:
        subprocess.run([soffice, "--headless", "--convert-to", target, "--outdir", str(workdir), str(path)],
                       check=True, capture_output=True, timeout=180)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
        raise fail(path, f"LibreOffice 无法把该文件转换为 .{target}（文件可能已加密或损坏）") from None
    out = workdir / f"{path.stem}.{target}"
    if not out.exists():
        raise fail(path, f"LibreOffice 没有生成 .{target} 文件（文件可能已加密或损坏）")
    return out


def temp_dir() -> tempfile.TemporaryDirectory:
    return tempfile.TemporaryDirectory(prefix="yusuan-read-")
