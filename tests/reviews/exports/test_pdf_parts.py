"""The annex PDF rendered in parts and joined (issue 12): one tagged document, footers on every page, bookmarks
and destinations whole, and the same document whether the parts are laid out here or by child processes.

Test settings cut the seed's seven boroughs into parts of three (config/settings/test.py), so the seed's annex is
three borough parts, plus four appendix parts when it has the performance summary.
"""

import io
import multiprocessing
import re

import pikepdf
import pytest
from pypdf import PdfReader

from reviews.annex.assembly import assemble
from reviews.exports import pdf as pdf_export
from reviews.exports.pdf import footer, parts, weasy

pytestmark = pytest.mark.django_db

TITLE_LINE = "Annex 1 Outcome Reporting for Local Police and Crime Board Community Safety Activity 2015-16"
BOROUGHS = ["Birmingham", "Coventry", "Dudley", "Sandwell", "Solihull", "Walsall", "Wolverhampton"]


@pytest.fixture
def with_appendix(annex_2015):
    annex_2015.include_performance_summary = True
    annex_2015.save()
    return assemble(annex_2015)


@pytest.fixture
def joined(with_appendix):
    return pdf_export.render(with_appendix)


def _elements(pdf):
    """Every structure element under the /Document element, in document order."""
    found, stack = [], [pdf.Root.StructTreeRoot.K[0]]
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Dictionary):
            found.append(node)
            kids = node.get("/K")
            if isinstance(kids, pikepdf.Array):
                stack.extend(reversed(list(kids)))
            elif kids is not None:
                stack.append(kids)
    return found


def _content(page):
    """The page's drawing: its content streams, joined as a reader joins them."""
    return b"".join(stream.read_bytes() for stream in page.obj.Contents)


def _page_text(content):
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def test_the_annex_is_cut_between_boroughs_then_by_appendix_section(with_appendix):
    cut = parts.annex_parts(with_appendix, boroughs_per_part=3)
    assert [[section.name for section in part.annex.boroughs] for part in cut] == [
        BOROUGHS[:3],
        BOROUGHS[3:6],
        BOROUGHS[6:],
        [],
        [],
        [],
        [],
    ]
    assert [part.first for part in cut] == [True] + [False] * 6
    assert [part.appendix_section for part in cut] == ["", "", "", "spend", "evidence", "heatmap", "rag"]
    # Only the appendix's parts carry its figures, and they share one drawing of its charts.
    assert [part.annex.performance_summary is not None for part in cut] == [False] * 3 + [True] * 4
    assert cut[3].annex.performance_charts is with_appendix.performance_charts
    assert [part.outline_level for part in cut] == [1, 2, 2, 2, 3, 3, 3]


def test_each_part_prints_only_its_own_piece(with_appendix):
    cut = parts.annex_parts(with_appendix, boroughs_per_part=3)
    html = [pdf_export.render_html(with_appendix, part) for part in cut]
    ids = [set(re.findall(r'\bid="([^"]+)"', page)) for page in html]
    borough_ids = [{i for i in found if i.startswith("borough-")} for found in ids]
    assert borough_ids[0] == {"borough-birmingham", "borough-coventry", "borough-dudley"}
    assert borough_ids[1] == {"borough-sandwell", "borough-solihull", "borough-walsall"}
    assert borough_ids[2] == {"borough-wolverhampton"}
    assert [("annex-title" in found) for found in ids] == [True] + [False] * 6
    headings = [
        {i for i in found if (i.startswith("appendix-") and i.endswith("-heading")) or i == "appendix-heatmap"}
        for found in ids
    ]
    assert headings[:3] == [set(), set(), set()]
    assert headings[3] == {"appendix-spend-heading"}
    assert headings[4] == {"appendix-evidence-heading"}
    assert headings[5] == {"appendix-heatmap"}
    assert headings[6] == {"appendix-rag-heading"}
    # The appendix's heading and introduction open its first part only.
    assert ["appendix-performance-summary" in found for found in ids] == [False] * 3 + [True, False, False, False]


def test_the_joined_pdf_is_one_tagged_document_whose_tags_point_at_its_own_pages(joined):
    pdf = pikepdf.open(io.BytesIO(joined))
    assert pdf.check_pdf_syntax() == []  # qpdf reads every object and content stream without a complaint
    pages = {page.objgen: page for page in pdf.pages}
    elements = _elements(pdf)
    assert [str(element.S) for element in elements].count("/Document") == 1
    # Every element sits on a page of this document (not a copy of a part's page left outside it).
    assert all(element.Pg.objgen in pages for element in elements if "/Pg" in element)
    # Each page's marked content resolves, through the parent tree, to an element on that page: keys moved on.
    tree = pdf.Root.StructTreeRoot
    nums = tree.ParentTree.Nums
    mapping = {int(key): value for key, value in zip(nums[::2], nums[1::2], strict=True)}
    assert len(mapping) == len(nums) // 2  # no key used twice
    assert int(tree.ParentTreeNextKey) == max(mapping) + 1
    for page in pdf.pages:
        marked = [int(n) for n in re.findall(rb"/MCID (\d+)", _content(page))]
        assert marked, "every page has tagged content"
        row = mapping[int(page.obj.StructParents)]
        assert all(row[mcid].Pg.objgen == page.objgen for mcid in marked)
    # Table header ids are unique across parts, and every data cell names headers that exist.
    ids = [str(element.ID) for element in elements if "/ID" in element]
    assert len(ids) == len(set(ids)) >= 7 * 5
    named = {str(h) for element in elements if str(element.S) == "/TD" for h in element.A.Headers}
    assert named <= set(ids)
    headings = [element for element in elements if str(element.S) == "/H2"]
    assert len(headings) == len(BOROUGHS) + 1  # each borough and the appendix


def test_every_page_says_its_number_of_the_whole_in_an_artifact_footer(joined):
    texts = _page_text(joined)
    total = len(texts)
    assert total > 7
    for number, text in enumerate(texts, start=1):
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        assert f"Page {number} of {total}" in lines[-2:] or text.rstrip().endswith(f"Page {number} of {total}")
        assert TITLE_LINE in text
    pdf = pikepdf.open(io.BytesIO(joined))
    for page in pdf.pages:
        content = _content(page)
        # Drawn inside a Pagination artifact, so screen readers skip it and the tree leaves it out, after the
        # page's own drawing is closed (its last "Q" not run into the next stream's first token).
        footer = rb"\nQ\n/Artifact <</Type /Pagination /Subtype /Footer>> BDC q /Footer\S+ Do Q EMC\n$"
        assert re.search(footer, content)
        assert content.startswith(b"q\n")


def test_bookmarks_nest_boroughs_under_the_title_and_sections_under_the_appendix(joined):
    pdf = pikepdf.open(io.BytesIO(joined))
    with pdf.open_outline() as outline:
        (title,) = outline.root
        assert title.title == TITLE_LINE
        names = [item.title for item in title.children]
        assert names == [*BOROUGHS, "Appendix: Performance summary"]
        sections = [item.title for item in title.children[-1].children]
        assert sections[:2] == ["Spend against allocation", "Evidence quality"]
        # Each bookmark opens the page its heading is on.
        texts = _page_text(joined)
        for item in title.children:
            page = pdf.pages.index(pikepdf.Page(item.destination[0]))
            assert item.title in texts[page]


def test_every_element_id_is_a_named_destination_in_order(joined):
    pdf = pikepdf.open(io.BytesIO(joined))
    names = [str(name) for name in pdf.Root.Names.Dests.Names[::2]]
    assert names == sorted(names)
    assert len(names) == len(set(names))
    assert {f"borough-{name.lower()}" for name in BOROUGHS} <= set(names)
    assert "appendix-heatmap" in names


def test_children_lay_out_the_same_document_as_this_process(with_appendix, settings):
    settings.ANNEX_PDF_PART_BOROUGHS = 2
    here = pdf_export.render(with_appendix)
    settings.ANNEX_PDF_PROCESSES = 2
    forked = pdf_export.render(with_appendix)
    assert _page_text(forked) == _page_text(here)
    assert PdfReader(io.BytesIO(forked)).trailer["/Root"]["/MarkInfo"]["/Marked"].value is True


def test_a_part_that_fails_in_a_child_fails_the_whole_with_its_reason():
    good = parts.part_job("<html lang='en-GB'><body><p>Fine</p></body></html>")
    bad = weasy.Job(good.html, "@page { size: A4; } p { color: red }", "pdf/none-such")
    with pytest.raises(RuntimeError, match=r"Part 2 of the PDF failed: \w+"):
        weasy.write_all([good, bad, good], processes=2)
    assert multiprocessing.active_children() == []  # none left running after the failure


def _glyph_runs(instructions):
    """(x, glyph bytes) of each text run of a drawing (its Tm's x, its TJ's strings)."""
    runs, x = [], None
    for operands, operator in instructions:
        if str(operator) == "Tm":
            x = float(operands[4])
        elif str(operator) == "TJ":
            runs.append((x, b"".join(bytes(item) for item in operands[0] if isinstance(item, pikepdf.String))))
    return runs


@pytest.mark.parametrize(("number", "pages"), [(1, 7), (7, 649), (42, 649), (649, 649), (1000, 1000)])
def test_each_footer_is_what_weasyprint_draws_for_that_page(number, pages):
    """The composed footer (the sample's, with the page's glyphs) against WeasyPrint drawing that page's own."""
    name = 'Annex 1 "Quoted" \\ 2026-27'
    css = (
        f"@page {{ @bottom-left {{ content: {footer._css_string(name)} }} "
        f'@bottom-right {{ content: "{footer.page_text(number, pages)}" }} }}'
    )
    with pikepdf.open(io.BytesIO(weasy.write(weasy.Job('<html lang="en-GB"><body></body></html>', css, None)))) as own:
        expected = _glyph_runs(pikepdf.parse_content_stream(own.pages[0]))
        with pikepdf.open(io.BytesIO(weasy.write(footer.footer_job(name)))) as sample_pdf:
            sample = footer._sample(sample_pdf.pages[0])
            composed = _glyph_runs(footer._drawing(sample, footer.page_text(number, pages)))
    assert len(composed) == len(expected) == 2
    assert composed[0] == expected[0]  # the name, as drawn
    assert composed[1][1] == expected[1][1]  # the same glyphs
    # Ending at the same place, to within rounding: the PDF's widths are whole thousandths, Pango's finer.
    assert composed[1][0] == pytest.approx(expected[1][0], abs=0.05)


def test_a_title_of_300_characters_wraps_the_name_and_keeps_each_page_number_on_its_line():
    name = "Annex 1 " + "Community safety outcomes across the force area " * 6
    pdf = pikepdf.new()
    for _ in range(3):
        pdf.add_blank_page(page_size=(842, 595))
    footer.stamp(pdf, name)
    out = io.BytesIO()
    pdf.save(out)
    texts = [" ".join(text.split()) for text in _page_text(out.getvalue())]
    assert [re.search(r"Page (\d+) of (\d+)", text).groups() for text in texts] == [("1", "3"), ("2", "3"), ("3", "3")]
    assert all("Community safety outcomes across the force area" in text for text in texts)


def test_a_footer_of_characters_outside_the_template_is_refused():
    with pikepdf.open(io.BytesIO(weasy.write(footer.footer_job("Name")))) as sample_pdf:
        sample = footer._sample(sample_pdf.pages[0])
        with pytest.raises(KeyError):
            footer._drawing(sample, "Seite 1 von 2")
