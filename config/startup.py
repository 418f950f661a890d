"""What an app server does once it has started (config/wsgi.py), and the benchmark does likewise."""

import gc

from django.urls import get_resolver


def freeze_what_is_loaded():
    """Load every view (through the URLconf), then keep everything loaded so far out of the garbage collector's walks.

    It all lives as long as the process. At national scale a full collection walked it in about 250 ms, and fell on
    every few requests of a page that makes many objects (the grid's p95 was these pauses); frozen, about 3 ms.
    """
    get_resolver().url_patterns  # noqa: B018 (imports the views)
    gc.collect()
    gc.freeze()
