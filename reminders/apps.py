from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "reminders"

    def ready(self) -> None:
        # Registers this app's handlers on the hooks of the apps below it (clinic/hooks.py). Here,
        # not at the top: Django imports apps.py before models can be, and handlers use models.
        from . import (
            checks,  # noqa: F401 - registers the SMS budget system check
            handlers,  # noqa: F401
        )
