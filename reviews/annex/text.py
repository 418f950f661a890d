"""Cell text: plain text whose blank lines separate paragraphs and whose "- " lines are list items.

Every output (HTML, DOCX, PDF, XLSX) renders the same blocks, so a cell looks the same everywhere.
Nothing here produces markup: each exporter escapes text in its own way. Which characters cell text
may hold is the service-wide rule in boroughs.text, which every form applies.
"""

import re
from dataclasses import dataclass

LIST_MARKER = "- "


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False


@dataclass(frozen=True)
class Paragraph:
    runs: tuple[Run, ...]
    is_list = False

    @property
    def text(self):
        return "".join(run.text for run in self.runs)


@dataclass(frozen=True)
class BulletList:
    items: tuple[Paragraph, ...]
    is_list = True

    @property
    def text(self):
        return "\n".join(item.text for item in self.items)


def normalise(text):
    """The stored form of cell text: Unix newlines, no trailing spaces, no runs of blank lines."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


def blocks(text, *, bold_titles=(), used=None):
    """Split cell text into paragraphs and lists.

    bold_titles are project titles to show in bold where a paragraph or list item starts with one;
    each is bolded once across a row, tracked in `used`.
    """
    used = set() if used is None else used
    result = []
    for chunk in normalise(text).split("\n\n"):
        if not chunk.strip():
            continue
        paragraph_lines, items = [], []
        for line in chunk.split("\n"):
            if line.startswith(LIST_MARKER):
                if paragraph_lines:
                    result.append(_paragraph("\n".join(paragraph_lines), bold_titles, used))
                    paragraph_lines = []
                items.append(line[len(LIST_MARKER) :].strip())
            else:
                if items:
                    result.append(BulletList(tuple(_paragraph(item, bold_titles, used) for item in items)))
                    items = []
                paragraph_lines.append(line)
        if paragraph_lines:
            result.append(_paragraph("\n".join(paragraph_lines), bold_titles, used))
        if items:
            result.append(BulletList(tuple(_paragraph(item, bold_titles, used) for item in items)))
    return tuple(result)


def _paragraph(text, bold_titles, used):
    for title in bold_titles:
        if title and title not in used and text.startswith(title):
            used.add(title)
            rest = text[len(title) :]
            return Paragraph((Run(title, bold=True), Run(rest)) if rest else (Run(title, bold=True),))
    return Paragraph((Run(text),))


def title_paragraph(title):
    return Paragraph((Run(title, bold=True),))


def plain(text):
    """The cell as one line of words, as a reader sees it: for search, diffs and tests."""
    words = []
    for block in blocks(text):
        words.append(block.text)
    return " ".join(" ".join(words).split())
