"""`make bench` only (config.settings.bench): every real URL, plus a bare view to compare the pages with.

The bare view answers a fixed text through the whole middleware stack (session, sign-in, CSP, history...),
so a page's share of it says how much the page's own work costs over the framework's floor.
"""

from django.http import HttpResponse
from django.urls import path

from .urls import urlpatterns as site_urlpatterns


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare, name="bench_bare"), *site_urlpatterns]
