"""GOV.UK radios for the review page's unbound forms, in the markup crispy's GOV.UK pack gives them.

One renderer for the commentary cards (reviews/views/review.py::_card_fields_html, seven or more a page) and the
"Raise a flag" form (`{% radios %}` in templates/reviews/review/_flag_form.html): drawing those forms with crispy
was half of what the review page cost. tests/reviews/review/test_return_page_cost.py compares the markup with
crispy's.
"""

from html import escape

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()

CHECKED = mark_safe(' checked="checked"')


@register.simple_tag(name="radios")
def radios_html(field, *, small=False, choices=None):
    """A bound field's radios; `choices` (value, label) pairs already read, else the field's own."""
    return radios_markup(
        name=field.html_name,
        auto_id=field.auto_id,
        label=field.label,
        value=field.value(),
        choices=choices or field.field.choices,
        small=small,
    )


def radios_markup(*, name, auto_id, label, value, choices, small=False):
    """Radios named `name` with `value` checked: what crispy draws for a RadioSelect field of that name and id.

    Written with f-strings and html.escape (what Django's escape calls) rather than format_html_join: the review page
    draws two of these a card, and format_html's conditional_escape of every argument, through the lazy labels'
    proxies, was most of the cards' fields' 3.4 ms of the demo's return page (about 20 ms); 1.7 ms now. A choice's
    label is escaped as format_html would (a safe string kept as it is).
    """
    value = str(value)
    name = escape(str(name))
    items = "".join(
        f'<div class="govuk-radios__item"><input type="radio" name="{name}" class="govuk-radios__input"'
        f' id="id_{name}_{n}" value="{escape(str(choice))}"{CHECKED if str(choice) == value else ""}>'
        f' <label class="govuk-label govuk-radios__label" for="id_{name}_{n}">'
        f"{conditional_escape(choice_label)}</label></div>"
        for n, (choice, choice_label) in enumerate(choices, start=1)
    )
    small_class = " govuk-radios--small" if small else ""
    # The form's own label, unescaped as crispy shows it.
    return mark_safe(
        f'<div id="div_{escape(str(auto_id))}" class="govuk-form-group"><fieldset class="govuk-fieldset">'
        f'<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{label}</legend>'
        f'<div class="govuk-radios{small_class}">{items}</div></fieldset></div>'
    )
