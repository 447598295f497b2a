"""Who may see a line or number: everyone, or signed-in professionals only."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Audience(models.TextChoices):
    PUBLIC = "public", _("Iedereen")
    PROFESSIONALS = "professionals", _("Alleen professionals")


def audiences_for(user) -> list[str]:
    """The audiences a visitor may see: professionals' lines only after signing in."""
    if user is not None and user.is_authenticated:
        return [Audience.PUBLIC, Audience.PROFESSIONALS]
    return [Audience.PUBLIC]
