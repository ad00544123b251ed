from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "reminders"

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the SMS budget system check
