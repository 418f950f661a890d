from django.apps import AppConfig
from django.db.models.signals import post_migrate


class BoroughsConfig(AppConfig):
    name = "boroughs"
    verbose_name = "Boroughs and people"

    def ready(self):
        from .roles import sync_roles_after_migrate

        # Groups are kept in step with the code's role definitions after every migrate,
        # so a new permission reaches its role without a hand-written data migration.
        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="boroughs.sync_roles")
