from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "OPCC review and the annual annex"

    def ready(self):
        from returns.signals import year_opened

        from .receivers import give_the_year_its_annex_columns

        # A year opened in returns gets its annex columns at once: reviewers comment per column from Q1.
        year_opened.connect(give_the_year_its_annex_columns, dispatch_uid="reviews.year_columns")
        self._connect_board_cache()

    def _connect_board_cache(self):
        """Saves and deletes of what the board view shows move its cached figures on (reviews/board_cache.py)."""
        from django.apps import apps
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from .board_cache import board_changed

        shown = [
            "boroughs.Borough",
            "returns.Project",
            "returns.ProjectYear",
            "returns.MatchFunding",
            "returns.Indicator",
            "returns.IndicatorActual",
            "returns.ProjectUpdate",
            "returns.Return",
            "returns.ReportingPeriod",
            "returns.PlanPriority",
            "reviews.Flag",
            "reviews.FlagType",
        ]
        for label in shown:
            model = apps.get_model(label)
            for signal in (post_save, post_delete):
                signal.connect(board_changed, sender=model, dispatch_uid=f"reviews.board_cache.{signal}.{label}")
        m2m_changed.connect(
            board_changed,
            sender=apps.get_model("returns.Project").priorities.through,
            dispatch_uid="reviews.board_cache.priorities",
        )
