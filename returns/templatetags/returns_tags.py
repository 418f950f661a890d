from django import template

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


@register.inclusion_tag("returns/_rag_tag.html")
def rag_tag(rag):
    return {"rag": rag}


@register.filter
def shown(indicator, value):
    return indicator.format_value(value)
