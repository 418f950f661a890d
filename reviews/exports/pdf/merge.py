"""Joining the annex's tagged parts into one tagged PDF, and stamping its footer on every page.

A plain page merge (pypdf's, say) keeps the pages and loses what makes the PDF accessible and navigable. So, with
pikepdf (qpdf), for each part after the first:
- its pages are appended;
- its structure elements join the first part's /Document element, in order (WeasyPrint puts each page's elements
  directly under it, so a part's are simply the next ones);
- its parent-tree keys (the link from a page's marked content, or a link annotation, back to its elements) are
  moved past the ones already used, on the pages and annotations that carry them;
- its table header ids are made unique (WeasyPrint numbers them per file), and the cells that name them follow;
- its named destinations (every element id) and bookmarks join the document's; bookmarks nest by heading level.
"""

from io import BytesIO

import pikepdf

# Tags whose table header ids and references are rewritten, and the ones that cannot contain a table.
_CELLS = {"/TH", "/TD"}
_LEAVES = {"/P", "/Span", "/H1", "/H2", "/H3", "/H4", "/Lbl", "/LBody", "/Link", "/Figure", "/Caption"}


def join_parts(pdfs, *, outline_levels):
    """One tagged pikepdf.Pdf from the parts' PDFs (bytes), in order; `outline_levels` is each part's first
    bookmarks' heading level."""
    merged = pikepdf.open(BytesIO(pdfs[0]))
    joiner = _Joiner(merged, outline_levels[0])
    for index, content in enumerate(pdfs[1:], start=1):
        with pikepdf.open(BytesIO(content)) as part:
            joiner.add(part, index, outline_levels[index])
    joiner.finish()
    return merged


class _Joiner:
    def __init__(self, merged, outline_level):
        self.merged = merged
        tree = merged.Root.StructTreeRoot
        self.document = tree.K[0]
        self.nums = tree.ParentTree.Nums
        self.next_key = max((int(key) for key in self.nums[::2]), default=-1) + 1
        self.dests = self._dest_names(merged)
        self.outline = []  # (level, item description) of the later parts, added at the end
        self.first_outline_level = outline_level

    def add(self, part, index, outline_level):
        merged = self.merged
        first_page = len(merged.pages)
        offset = self.next_key
        source = part.Root.StructTreeRoot
        if "/Kids" in source.ParentTree:
            raise ValueError("A part's parent tree has /Kids: join_parts expects WeasyPrint's flat /Nums")
        kids = source.K[0].K
        for kid in kids:
            del kid.P  # so that copying an element does not copy the part's whole tree above it
        # Pages first: the elements' /Pg then point at the copied pages (qpdf copies each object of a part once).
        merged.pages.extend(part.pages)
        # copy_foreign takes indirect objects only; qpdf copies every object of a part once, whichever call reaches it.
        for kid in merged.copy_foreign(part.make_indirect(kids)):
            kid.P = self.document
            self.document.K.append(kid)
            _unique_header_ids(kid, f"p{index}-")
        numbers = merged.copy_foreign(part.make_indirect(source.ParentTree.Nums))
        for key, value in zip(numbers[::2], numbers[1::2], strict=True):
            self.nums.append(int(key) + offset)
            self.nums.append(value)
            self.next_key = max(self.next_key, int(key) + offset + 1)
        for page in merged.pages[first_page:]:
            if "/StructParents" in page.obj:
                page.obj.StructParents = int(page.obj.StructParents) + offset
            for annotation in page.obj.get("/Annots", ()):
                if "/StructParent" in annotation:
                    annotation.StructParent = int(annotation.StructParent) + offset
        names = self._dest_names(part)
        if names:
            self.dests.extend(merged.copy_foreign(part.make_indirect(names)))
        self.outline += _outline(part, first_page, outline_level)

    def finish(self):
        self.merged.Root.StructTreeRoot.ParentTreeNextKey = self.next_key
        if self.dests:
            pairs = sorted(zip(self.dests[::2], self.dests[1::2], strict=True), key=lambda pair: bytes(pair[0]))
            self.merged.Root.Names.Dests.Names = pikepdf.Array([value for pair in pairs for value in pair])
        with self.merged.open_outline() as outline:
            stack = [(self.first_outline_level, item) for item in outline.root[-1:]]
            for level, item in self.outline:
                while stack and stack[-1][0] >= level:
                    stack.pop()
                (stack[-1][1].children if stack else outline.root).append(item)
                stack.append((level, item))

    @staticmethod
    def _dest_names(pdf):
        names = pdf.Root.get("/Names")
        dests = names.get("/Dests") if names is not None else None
        if dests is None:
            return None
        if "/Kids" in dests:
            raise ValueError("A part's named destinations have /Kids: join_parts expects a flat /Names")
        return dests.Names


def _unique_header_ids(element, prefix):
    """Prefix the table header ids under `element`, and the references to them, so parts' ids cannot clash."""
    stack = [element]
    while stack:
        node = stack.pop()
        if not isinstance(node, pikepdf.Dictionary):
            continue
        tag = node.get("/S")
        if tag in _CELLS:
            if "/ID" in node:
                node.ID = pikepdf.String(prefix + str(node.ID))
            attributes = node.get("/A")
            if attributes is not None and "/Headers" in attributes:
                attributes.Headers = pikepdf.Array([pikepdf.String(prefix + str(h)) for h in attributes.Headers])
            continue
        if tag in _LEAVES:
            continue
        kids = node.get("/K")
        if isinstance(kids, pikepdf.Array):
            stack.extend(kids)
        elif kids is not None:
            stack.append(kids)


def _outline(part, first_page, level):
    """The part's bookmarks as (level, OutlineItem) pointing at the merged document's pages."""
    pages = {page.objgen: number for number, page in enumerate(part.pages)}

    def copy(item):
        destination = item.destination
        page = pages[destination[0].objgen]
        new = pikepdf.OutlineItem(
            item.title,
            first_page + page,
            pikepdf.PageLocation.XYZ,
            left=float(destination[2]),
            top=float(destination[3]),
        )
        new.children.extend(copy(child) for child in item.children)
        return new

    with part.open_outline() as outline:
        return [(level, copy(item)) for item in outline.root]
