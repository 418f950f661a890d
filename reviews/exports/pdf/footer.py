"""The annex PDF's footer: its name on the left and "Page X of Y" on the right of every page, as annex_pdf.css
draws them, added once the parts are joined and the number of pages is known.

WeasyPrint draws one sample footer, its right-hand text a template holding every character a page number needs;
each page's footer is that sample's drawing with the template's glyphs swapped for the page's ("Page 12 of 649",
set right-aligned from the font's own widths), so the text, font and place are WeasyPrint's, for a few
milliseconds a page rather than a laid-out page each. Each footer is laid over its page as a Form XObject marked as
a Pagination artifact, which screen readers skip and the structure tree leaves out.
"""

from io import BytesIO
from typing import NamedTuple

import pikepdf

from .weasy import Job, write

# Every character of "Page 12 of 649" (a page number needs no others); no ligature or kerning pair among them in
# the annex's font, so each is one glyph of its own width.
TEMPLATE = "Page 0123456789 of"


def page_text(number, pages):
    return f"Page {number} of {pages}"


def footer_job(name):
    """The weasy.Job drawing the sample footer: `name` on the left, TEMPLATE on the right."""
    left, right = _css_string(name), _css_string(TEMPLATE)
    # The page number's box never wraps (a title of 300 characters wraps the name's box instead): each page's
    # number is swapped into its one line.
    css = f"@page {{ @bottom-left {{ content: {left} }} @bottom-right {{ content: {right}; white-space: nowrap }} }}"
    return Job('<html lang="en-GB"><body></body></html>', css, None)


class _Sample(NamedTuple):
    instructions: list  # the sample page's drawing, parsed
    right: int  # the index of the right-hand text's TJ; its Tm is the instruction two before
    codes: dict  # character -> its glyph's bytes
    widths: dict  # character -> its advance, in text space
    right_edge: float  # where the right-hand text ends (x, in text space)
    page: object  # the sample's page (pikepdf.Page): its resources and box


def stamp(pdf, name):
    """Lay the footer of `name` and "Page X of Y" over every page of `pdf`."""
    with pikepdf.open(BytesIO(write(footer_job(name)))) as sample_pdf:
        sample = _sample(sample_pdf.pages[0])
        resources = pdf.copy_foreign(sample.page.Resources)
        box = pikepdf.Array([float(value) for value in sample.page.mediabox])
        pages = len(pdf.pages)
        for number, page in enumerate(pdf.pages, start=1):
            drawing = pikepdf.unparse_content_stream(_drawing(sample, page_text(number, pages)))
            xobject = pikepdf.Stream(
                pdf, drawing, Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form, BBox=box, Resources=resources
            )
            resource = page.add_resource(xobject, pikepdf.Name.XObject, prefix="Footer")
            # The page's own drawing is closed off in q…Q first, so none of its state reaches the footer.
            page.contents_add(pikepdf.Stream(pdf, b"q\n"), prepend=True)
            # Streams join at token boundaries only: the newline keeps "Q" from running into the page's last.
            mark = b"\nQ\n/Artifact <</Type /Pagination /Subtype /Footer>> BDC q %s Do Q EMC\n" % bytes(resource)
            page.contents_add(pikepdf.Stream(pdf, mark))


def _sample(page):
    """What the sample page tells: where its right-hand text is drawn, in which glyphs, and their widths."""
    instructions = list(pikepdf.parse_content_stream(page))
    shows = [i for i, (_, operator) in enumerate(instructions) if str(operator) == "TJ"]
    right = shows[-1]  # the right-hand box is drawn last
    if [str(op) for _, op in instructions[right - 2 : right]] != ["Tm", "Tf"]:
        raise ValueError("The footer's sample is not drawn as expected (Tm, Tf, TJ)")
    font_name, size = instructions[right - 1].operands
    shown = instructions[right].operands[0]
    glyphs = b"".join(bytes(item) for item in shown if isinstance(item, pikepdf.String))
    if len(glyphs) != 2 * len(TEMPLATE) or any(not isinstance(i, pikepdf.String) and i != 0 for i in shown):
        raise ValueError("The footer's template is not drawn one glyph a character, unkerned")
    codes = {char: glyphs[2 * i : 2 * i + 2] for i, char in enumerate(TEMPLATE)}
    advance, default = _advances(page.Resources.Font[font_name])
    widths = {char: advance.get(int.from_bytes(code), default) * float(size) / 1000 for char, code in codes.items()}
    x = float(instructions[right - 2].operands[4])
    return _Sample(instructions, right, codes, widths, x + sum(widths[char] for char in TEMPLATE), page)


def _drawing(sample, text):
    """The sample's drawing with `text` in place of the template, ending where the template ended."""
    instructions = list(sample.instructions)
    matrix = [float(value) for value in instructions[sample.right - 2].operands]
    matrix[4] = sample.right_edge - sum(sample.widths[char] for char in text)
    instructions[sample.right - 2] = pikepdf.ContentStreamInstruction(matrix, pikepdf.Operator("Tm"))
    glyphs = b"".join(sample.codes[char] for char in text)
    instructions[sample.right] = pikepdf.ContentStreamInstruction(
        [pikepdf.Array([pikepdf.String(glyphs)])], pikepdf.Operator("TJ")
    )
    return instructions


def _advances(font):
    """({glyph id: width in thousandths of the text size}, the width of any other) from a Type 0 font's /W."""
    descendant = font.DescendantFonts[0]
    default = float(descendant.get("/DW", 1000))
    widths, items, i = {}, list(descendant.get("/W", [])), 0
    while i < len(items):
        first = int(items[i])
        if isinstance(items[i + 1], pikepdf.Array):  # c [w1 w2 …]
            widths.update((first + k, float(w)) for k, w in enumerate(items[i + 1]))
            i += 2
        else:  # c_first c_last w
            widths.update((gid, float(items[i + 2])) for gid in range(first, int(items[i + 1]) + 1))
            i += 3
    return widths, default


def _css_string(text):
    """`text` as a CSS string: quoted, with backslashes, quotes and line breaks escaped."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ").replace("\r", " ")
    return f'"{escaped}"'
