"""Template tags of the quarterly review, also used by the returns app's pages.

`returns` must not import `reviews`, so its templates load this library and include the reviews
fragments: `{% review_feedback return_ as feedback %}` once per page (a fixed number of queries),
then `{% include "reviews/review/_officer_section.html" with notes=feedback|section_notes:"risks" %}`.
"""

from datetime import datetime

from django import template

from ..rendering import render_review_text
from ..selectors.feedback import SECTION_NAMES, SectionFeedback, load_feedback

register = template.Library()


@register.filter
def review_text(text):
    return render_review_text(text)


@register.simple_tag(takes_context=True)
def review_feedback(context, return_):
    request = context.get("request")
    if return_ is None or request is None:
        return None
    return load_feedback(return_, request.user)


@register.filter
def section_notes(feedback, key):
    return feedback.section(key) if feedback else None


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def flags_for_column(feedback, column_id):
    return feedback.flags_for_column(column_id)


@register.filter
def flags_for_project(feedback, project_id):
    return feedback.flags_for_project(project_id)


@register.filter
def section_name(key):
    return SECTION_NAMES.get(key, key)


@register.filter
def parse_iso(value):
    return datetime.fromisoformat(value) if value else None


# The returns app's section pages, by URL name, and the review section each one is.
SECTION_OF_URL = {"return_alignment": "alignment", "return_project": "projects", "return_evidence": "evidence"}


@register.simple_tag(takes_context=True)
def review_section_feedback(context):
    """The notes for the section page being shown, worked out from its URL so returns passes nothing."""
    request, return_ = context.get("request"), context.get("return")
    if request is None or return_ is None or request.resolver_match is None:
        return None
    match = request.resolver_match
    key = match.kwargs.get("log") if match.url_name.startswith("return_log") else SECTION_OF_URL.get(match.url_name)
    if key is None:
        return None
    feedback = load_feedback(return_, request.user)
    notes = feedback.section(key)
    task = context.get("task")
    if key == "projects" and task is not None:
        extra = feedback.project(task.project.pk)
        notes = SectionFeedback(
            comments=[*notes.comments, *extra.comments], flags=[*notes.flags, *extra.flags], reasons=notes.reasons
        )
    return notes
