import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")
application = get_wsgi_application()

from config.startup import freeze_what_is_loaded  # noqa: E402 (needs the settings above)

freeze_what_is_loaded()
