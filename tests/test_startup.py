"""An app server keeps what it loads at start out of the garbage collector's walks (config/startup.py)."""

import gc
import importlib
import sys


def test_the_app_server_freezes_what_it_loaded_at_start():
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    try:
        if "config.wsgi" in sys.modules:
            importlib.reload(sys.modules["config.wsgi"])
        else:
            importlib.import_module("config.wsgi")
        # Django, the apps, their models and every view: far more than a request makes.
        assert gc.get_freeze_count() > 50_000
        assert "reviews.views.review" in sys.modules  # the URLconf was loaded before freezing
    finally:
        gc.unfreeze()
