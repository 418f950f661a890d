from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "OPCC review and the annual annex"

    def ready(self):
        from returns.signals import year_opened

        from .receivers import give_the_year_its_annex_columns

        # A year opened in returns gets its annex columns at once: reviewers comment per column from Q1.
        year_opened.connect(give_the_year_its_annex_columns, dispatch_uid="reviews.year_columns")
