"""Reviewer text to HTML: Markdown for paragraphs and lists, then sanitised, so typed HTML never runs."""

from functools import lru_cache

import markdown
import nh3
from django.utils.safestring import mark_safe

ALLOWED_TAGS = {"p", "br", "ul", "ol", "li", "strong", "em", "blockquote", "code"}
CLASSES = {"p": "govuk-body", "ul": "govuk-list govuk-list--bullet", "ol": "govuk-list govuk-list--number"}


# The same text always gives the same HTML, and the same comments are shown again and again (a return's page shows
# every comment on it, each time it is opened): Markdown's parser made a return page's comments a tenth of its time.
# Bounded: at most this many texts are kept per process.
RENDERED_KEPT = 2048


@lru_cache(maxsize=RENDERED_KEPT)
def render_review_text(text):
    if not text:
        return ""
    # Markdown passes raw HTML through, so nh3 runs last and keeps only the tags above, without attributes.
    html = markdown.markdown(text, extensions=["sane_lists", "nl2br"], output_format="html")
    clean = nh3.clean(html, tags=ALLOWED_TAGS, attributes={})
    for tag, classes in CLASSES.items():
        clean = clean.replace(f"<{tag}>", f'<{tag} class="{classes}">')
    return mark_safe(clean)
