"""What a file really is, read from its bytes; never from its name or the browser's word.

PDFs and images are recognised by their signatures (the `filetype` library). DOCX and XLSX
are both zip archives: they are told apart by the parts inside, and any other zip (or an
Office file with macros) is not recognised.
"""

import zipfile

import filetype

from .models import DocumentKind

HEAD_BYTES = 8192
ZIP_SIGNATURE = b"PK\x03\x04"
_MAX_CONTENT_TYPES = 1024 * 1024  # [Content_Types].xml is a few kB; more is not an Office file

_BY_MIME = {
    "application/pdf": DocumentKind.PDF,
    "image/jpeg": DocumentKind.JPEG,
    "image/png": DocumentKind.PNG,
    "image/apng": DocumentKind.PNG,  # an animated PNG is still a PNG
    "image/webp": DocumentKind.WEBP,
}
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    EOFError,
    OSError,
    KeyError,
    NotImplementedError,  # a compression method zipfile does not know
    RuntimeError,  # an encrypted part
    ValueError,
)


def _office_kind(fileobj) -> DocumentKind | None:
    try:
        with zipfile.ZipFile(fileobj) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" not in names:
                return None
            with archive.open("[Content_Types].xml") as part:
                content_types = part.read(_MAX_CONTENT_TYPES + 1)
    except _ZIP_ERRORS:
        return None
    if len(content_types) > _MAX_CONTENT_TYPES:
        return None
    # Macro-enabled documents (.docm, .xlsm renamed) run code when opened: not accepted.
    if b"macroenabled" in content_types.lower() or any(
        name.lower().endswith("vbaproject.bin") for name in names
    ):
        return None
    word = "word/document.xml" in names
    excel = "xl/workbook.xml" in names
    if word and not excel:
        return DocumentKind.DOCX
    if excel and not word:
        return DocumentKind.XLSX
    return None


def sniff_kind(fileobj) -> DocumentKind | None:
    """The kind of the file's content, or None when it is none of the accepted kinds.

    `fileobj` must be seekable (Django's uploaded files are); it is left at the start.
    """
    fileobj.seek(0)
    head = fileobj.read(HEAD_BYTES)
    try:
        if head.startswith(ZIP_SIGNATURE):
            fileobj.seek(0)
            return _office_kind(fileobj)
        return _BY_MIME.get(filetype.guess_mime(head))
    finally:
        fileobj.seek(0)
