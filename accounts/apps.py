from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Staff accounts"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from .services import roles_sync

        # Groups are created by migration 0002; this keeps their permissions in step with
        # models added by later migrations (Django creates permissions after migrating).
        def _sync(sender, **kwargs) -> None:
            from django.apps import apps

            if sender.name == list(apps.get_app_configs())[-1].name:
                roles_sync()

        post_migrate.connect(_sync, weak=False, dispatch_uid="accounts.roles_sync")
