from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """A member of staff. Roles are groups (see ``accounts.roles``); patients never log in."""

    display_name = models.CharField(
        max_length=150, blank=True, help_text="How the name appears on records, e.g. 'Dr. A. Rivera'."
    )

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username
