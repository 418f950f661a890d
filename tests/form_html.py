"""Reading a rendered GOV.UK form back: what an input shows, and the errors printed beside a field."""

import re


def value_of(page, name):
    """The value attribute of the input called `name`, as the browser would show it."""
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', page)
    assert match, f"no input {name}"
    found = re.search(r'value="([^"]*)"', match.group(0))
    return found.group(1) if found else ""


def error_beside(page, field_id):
    """The error messages rendered beside the field (not the summary at the top)."""
    pattern = (
        rf'id="{field_id}_\d+_error" class="govuk-error-message">\s*'
        r'<span class="govuk-visually-hidden">Error:</span>(.*?)</'
    )
    return [" ".join(text.split()) for text in re.findall(pattern, page, re.S)]


def summary_links(page):
    """(href, text) of every entry of the error summary."""
    body = re.search(r'<div class="govuk-error-summary__body">(.*?)</div>', page, re.S)
    return re.findall(r'<a href="([^"]+)">(.*?)</a>', body.group(1), re.S) if body else []
