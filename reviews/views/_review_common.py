from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.urls import reverse


def review_url(return_, anchor=""):
    url = reverse("review:return", args=[return_.pk])
    return f"{url}#{anchor}" if anchor else url


@contextmanager
def refuse_if_not_allowed(form):
    """Turn a refused move (illegal transition, own borough, missing reason) into a form error.

    The caller's `return redirect(...)` inside the block is skipped when the service refuses, so the
    view falls through to re-render the form with the message in the error summary.
    """
    try:
        yield
    except ValidationError as error:
        form.add_error(None, error.messages)
