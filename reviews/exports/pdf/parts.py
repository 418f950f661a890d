"""The annex PDF's parts: what each part prints.

A part is the annex's own template given fewer boroughs: the first part carries the title, status and
introduction; every borough already starts on a new page (annex_pdf.css), so cutting between boroughs changes
no page. The appendix comes last, one part per section (its evidence-quality map alone is the size of sixty
boroughs). Parts leave the footer out: it says "Page X of Y", which no part can know (footer.py adds it).
"""

from dataclasses import dataclass, replace

from reviews.annex.assembly import AssembledAnnex

from .weasy import Job

# The footer's boxes as annex_pdf.css draws them, emptied for the parts (footer.py draws them on the whole).
WITHOUT_FOOTER = "@page { @bottom-left { content: none } @bottom-right { content: none } }"
# templates/reviews/board/_summary.html's sections, in order, each a part of its own; the evidence-quality map
# (a row per borough) apart from its chart, as it alone holds as many pages in memory as dozens of boroughs.
APPENDIX_SECTIONS = ("spend", "evidence", "heatmap", "rag")


@dataclass(frozen=True)
class Part:
    annex: AssembledAnnex  # the boroughs this part prints; the appendix's figures only in an appendix part
    first: bool = False  # prints the title, status and introduction
    appendix_section: str = ""  # which of APPENDIX_SECTIONS it prints, if any
    # The heading level of the part's first bookmarks: merge.py nests them under the last one above it.
    outline_level: int = 2

    @property
    def appendix_heading(self):
        """Whether this part opens the appendix (its heading and introduction)."""
        return self.appendix_section == APPENDIX_SECTIONS[0]


def annex_parts(annex, *, boroughs_per_part):
    """The annex cut into Parts, in the document's order."""
    without_appendix = replace(annex, performance_summary=None)
    chunks = [annex.boroughs[i : i + boroughs_per_part] for i in range(0, len(annex.boroughs), boroughs_per_part)]
    parts = [
        Part(replace(without_appendix, boroughs=chunk), first=index == 0, outline_level=1 if index == 0 else 2)
        for index, chunk in enumerate(chunks or [()])
    ]
    if annex.performance_summary is not None:
        appendix = replace(annex, boroughs=())
        # The charts are drawn once, not once per part (replace() makes a new object without the cached drawing).
        vars(appendix)["performance_charts"] = annex.performance_charts
        parts += [
            Part(appendix, appendix_section=section, outline_level=2 if section == APPENDIX_SECTIONS[0] else 3)
            for section in APPENDIX_SECTIONS
        ]
    return parts


def part_job(html):
    """The weasy.Job that renders a part's HTML: tagged, without the footer."""
    return Job(html, WITHOUT_FOOTER)
