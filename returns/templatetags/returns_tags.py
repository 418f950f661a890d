from django import template
from django.template.loader import render_to_string
from django.utils.html import format_html

from ..models import FinancialYear, SectionStatus
from ..periods import period_rows

register = template.Library()


@register.simple_tag
def borough_period_rows(borough):
    """This financial year's periods for the borough page, which may not import returns itself."""
    return period_rows(borough, FinancialYear.current())


@register.inclusion_tag("returns/_status_tag.html")
def section_status(status, element_id=""):
    return {"status": status, "label": SectionStatus(status).label, "element_id": element_id}


@register.simple_tag
def task_status(status, changes_requested=False):
    """A task's status on the task list. A completed section the OPCC sent back says so instead, until resubmitted.

    `changes_requested` comes from the page (the reviews app's change request, which returns may not import).
    """
    if changes_requested and status == SectionStatus.COMPLETED:
        return format_html('<strong class="govuk-tag govuk-tag--orange">{}</strong>', "Changes requested")
    return render_to_string("returns/_status_tag.html", section_status(status))


@register.inclusion_tag("returns/_rag_tag.html")
def rag_tag(rag):
    return {"rag": rag}


@register.filter
def shown(indicator, value):
    return indicator.format_value(value)
