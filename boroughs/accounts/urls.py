"""/accounts/: allauth's sign-in, sign-out, password and two-step verification pages, and ours.

allauth.urls is included whole, because allauth's own code reverses its URL names; the pages this service
does not offer are answered with 404 first. Sign-up is closed by the adapter, so its page says so.
"""

from allauth.account import views as allauth_views
from django.http import Http404
from django.urls import include, path, re_path

from . import tokens_views, views


def not_offered(request, *args, **kwargs):
    # Email addresses are kept by administrators (notifications go to the account's address).
    raise Http404


urlpatterns = [
    path("", views.your_account, name="your_account"),
    # "login" is LOGIN_URL's name and base.html's; it is allauth's sign-in view, like "account_login".
    path("login/", allauth_views.login, name="login"),
    path("keep-alive/", views.keep_alive, name="keep_alive"),
    path("notifications/", views.notification_preferences, name="notification_preferences"),
    path("email/", not_offered),
    re_path(r"^confirm-email/", not_offered),
    # API tokens for the read-only API (reviews/api/): the person's own, shown once when made.
    path("api-tokens/", tokens_views.api_tokens, name="api_tokens"),
    path("api-tokens/new/", tokens_views.api_token_create, name="api_token_create"),
    path("api-tokens/<int:pk>/revoke/", tokens_views.api_token_revoke, name="api_token_revoke"),
    path("", include("allauth.urls")),
]
