"""The annex PDF's footer: its name on the left and "Page X of Y" on the right of every page, as annex_pdf.css
draws them, added once the parts are joined and the number of pages is known.

WeasyPrint draws the footers on blank pages (in chunks, in the same processes as the parts, each chunk's page
counter starting where the one before ended), and each blank page is laid over its annex page as a Form XObject
marked as a Pagination artifact, which screen readers skip and the structure tree leaves out.
"""

from io import BytesIO

import pikepdf

from .weasy import Job

# Chunks per process: enough to share the work out evenly, few enough that each child's start-up is small; and
# no chunk under MIN_CHUNK_PAGES, so a small annex's footers are drawn in one go, in this process.
CHUNKS_PER_PROCESS = 2
MIN_CHUNK_PAGES = 100


def footer_jobs(name, pages, *, processes):
    """The weasy.Jobs drawing the footers of pages 1..pages, in order, named `name`."""
    count = max(1, min(-(-pages // MIN_CHUNK_PAGES), processes * CHUNKS_PER_PROCESS))
    size = -(-pages // count)
    jobs = []
    for first in range(1, pages + 1, size):
        length = min(size, pages - first + 1)
        css = (
            f"@page {{ @bottom-left {{ content: {_css_string(name)} }} "
            f'@bottom-right {{ content: "Page " counter(page) " of {pages}" }} }} '
            f"@page :first {{ counter-reset: page {first} }} "
            "div + div { break-before: page }"
        )
        jobs.append(Job('<html lang="en-GB"><body>' + "<div></div>" * length + "</body></html>", css, None))
    return jobs


def stamp(pdf, footers):
    """Lay each footer page (from the PDFs `footers`, in order) over the matching page of `pdf`."""
    number = 0
    for content in footers:
        with pikepdf.open(BytesIO(content)) as footer:
            for footer_page in footer.pages:
                page = pdf.pages[number]
                xobject = pdf.copy_foreign(footer_page.as_form_xobject())
                resource = page.add_resource(xobject, pikepdf.Name.XObject, prefix="Footer")
                # The page's own drawing is closed off in q…Q first, so none of its state reaches the footer.
                page.contents_add(pikepdf.Stream(pdf, b"q\n"), prepend=True)
                # Streams join at token boundaries only: the newline keeps "Q" from running into the page's last.
                mark = b"\nQ\n/Artifact <</Type /Pagination /Subtype /Footer>> BDC q %s Do Q EMC\n" % bytes(resource)
                page.contents_add(pikepdf.Stream(pdf, mark))
                number += 1
    if number != len(pdf.pages):
        raise ValueError(f"{number} footers for {len(pdf.pages)} pages")


def _css_string(text):
    """`text` as a CSS string: quoted, with backslashes, quotes and line breaks escaped."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ").replace("\r", " ")
    return f'"{escaped}"'
