from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("boroughs/", views.borough_list, name="borough_list"),
    path("boroughs/<slug:slug>/", views.borough_detail, name="borough_detail"),
]
