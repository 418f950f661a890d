"""The one rule for clean text: which characters no text in the service may hold, and what to say about them.

Forms reject them (boroughs.forms.GDSForm gives every text field `validate_clean_text`) and the
annex exporters strip them (`strip_control_characters`) in case any reached the database another way.
Tab and newline are text; a carriage return is how browsers send a newline (CRLF), so forms turn it into
one (`normalise_newlines`) rather than reject it, and the exporters leave it alone.
"""

import re

from django.core.exceptions import ValidationError

# C0 control characters other than tab, newline and carriage return, DEL, and the two non-characters
# U+FFFE and U+FFFF. XML 1.0 cannot hold the C0 ones or the non-characters at all (DOCX and XLSX then
# refuse to save); none of them is ever typed on purpose: they come from pasting out of Word (vertical tab
# for a soft line break, form feed for a page break) or from other programs' files.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")

NAMES = {
    0x00: "null",
    0x01: "start of heading",
    0x02: "start of text",
    0x03: "end of text",
    0x04: "end of transmission",
    0x05: "enquiry",
    0x06: "acknowledge",
    0x07: "bell",
    0x08: "backspace",
    0x0B: "vertical tab",
    0x0C: "form feed",
    0x0E: "shift out",
    0x0F: "shift in",
    0x10: "data link escape",
    0x11: "device control one",
    0x12: "device control two",
    0x13: "device control three",
    0x14: "device control four",
    0x15: "negative acknowledge",
    0x16: "synchronous idle",
    0x17: "end of transmission block",
    0x18: "cancel",
    0x19: "end of medium",
    0x1A: "substitute",
    0x1B: "escape",
    0x1C: "file separator",
    0x1D: "group separator",
    0x1E: "record separator",
    0x1F: "unit separator",
    0x7F: "delete",
    0xFFFE: "not a character",
    0xFFFF: "not a character",
}


def control_characters(text):
    """The control characters in text, each once, in code point order, as "U+000B (vertical tab)"."""
    return [f"U+{code:04X} ({NAMES[code]})" for code in sorted({ord(c) for c in CONTROL_CHARACTERS.findall(text)})]


def validate_clean_text(value):
    """Refuse text holding control characters, naming each so the person can find and remove it."""
    if not isinstance(value, str):
        return
    found = control_characters(value)
    if not found:
        return
    if len(found) == 1:
        message = f"Remove the control character {found[0]} from this text — it can come from pasting out of Word"
    else:
        listed = f"{', '.join(found[:-1])} and {found[-1]}"
        message = f"Remove the control characters {listed} from this text — they can come from pasting out of Word"
    raise ValidationError(message, code="control_characters")


def normalise_newlines(value):
    """Browsers send a newline as CRLF (and old Mac text has a lone CR): store it as LF."""
    if not isinstance(value, str):
        return value
    return value.replace("\r\n", "\n").replace("\r", "\n")


def strip_control_characters(value):
    """The text without the characters validate_clean_text refuses: the exporters' second line of defence."""
    if not isinstance(value, str):
        return value
    return CONTROL_CHARACTERS.sub("", value)
