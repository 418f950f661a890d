"""Search, under /search/. Unlike the rest of the review it is open to officers, scoped to their boroughs."""

from django.urls import path

from .views import review_board

urlpatterns = [path("", review_board.search, name="review_search")]
