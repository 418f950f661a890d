"""What an uploaded file really is, judged from its bytes rather than its name."""

import zipfile

import filetype

# A well-formed CSV is text; control characters other than tab and line ends mean it is not.
_BAD_TEXT_BYTES = {chr(c) for c in range(32) if c not in (9, 10, 13)}


def _office_kind(upload):
    # DOCX and XLSX are both zip packages: what tells them apart is the part folders inside.
    try:
        with zipfile.ZipFile(upload) as package:
            names = package.namelist()
    except (zipfile.BadZipFile, OSError, EOFError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if any(name.startswith("word/") for name in names):
        return "docx"
    if any(name.startswith("xl/") for name in names):
        return "xlsx"
    return None


def _is_text(data):
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return bool(text.strip()) and not any(ch in _BAD_TEXT_BYTES for ch in text)
    return False


def sniff(upload):
    """'pdf', 'docx', 'xlsx', 'csv', 'png' or 'jpeg' from the content of `upload`, or None."""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    guess = filetype.guess(head)
    try:
        if guess is None:
            data = upload.read()
            return "csv" if _is_text(data) else None
        if guess.extension in ("zip", "docx", "xlsx"):
            return _office_kind(upload)
        return {"pdf": "pdf", "png": "png", "jpg": "jpeg"}.get(guess.extension)
    finally:
        upload.seek(0)
