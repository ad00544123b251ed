from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "outcomes"
    verbose_name = "Outcomes and quality of life"

    def ready(self) -> None:
        # Registers this app's handlers on the hooks of the apps below it (clinic/hooks.py). Here,
        # not at the top: Django imports apps.py before models can be, and handlers use models.
        from . import handlers  # noqa: F401
