"""GOV.UK radios for the review page's unbound forms, in the markup crispy's GOV.UK pack gives them.

One renderer for the commentary cards (reviews/views/review.py::_card_fields_html, seven or more a page) and the
"Raise a flag" form (`{% radios %}` in templates/reviews/review/_flag_form.html): drawing those forms with crispy
was half of what the review page cost. tests/reviews/review/test_return_page_cost.py compares the markup with
crispy's.
"""

from django import template
from django.utils.html import format_html, format_html_join
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
    """Radios named `name` with `value` checked: what crispy draws for a RadioSelect field of that name and id."""
    value = str(value)
    items = format_html_join(
        "",
        '<div class="govuk-radios__item"><input type="radio" name="{0}" class="govuk-radios__input" id="id_{0}_{1}"'
        ' value="{2}"{3}> <label class="govuk-label govuk-radios__label" for="id_{0}_{1}">{4}</label></div>',
        (
            (name, n, choice, CHECKED if str(choice) == value else "", choice_label)
            for n, (choice, choice_label) in enumerate(choices, start=1)
        ),
    )
    return format_html(
        '<div id="div_{}" class="govuk-form-group"><fieldset class="govuk-fieldset">'
        '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{}</legend>'
        '<div class="govuk-radios{}">{}</div></fieldset></div>',
        auto_id,
        mark_safe(label),  # the form's own label, unescaped as crispy shows it
        " govuk-radios--small" if small else "",
        items,
    )
