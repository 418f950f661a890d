from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("", views.people, name="list"),
    path("invite/", views.invite, name="invite"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/account/", views.status, name="status"),
    path("<int:pk>/two-step-verification/", views.mfa_reset, name="mfa_reset"),
    path("<int:pk>/invitation/", views.resend, name="resend"),
    # Public: the invited person is not signed in. The token is the only key.
    path("welcome/<str:uidb64>/<str:token>/", views.welcome, name="welcome"),
]
