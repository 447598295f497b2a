"""Update links: a secret address with which a team without accounts updates its availability.

Only a SHA-256 hash of the token is stored, so a copy of the database does not hand out working
links; the address itself is shown once, to the coordinator who creates or renews it.
"""

import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from netwerk.directory.organisations import Organisation

TOKEN_BYTES = 32  # 43 URL-safe characters, 256 bits


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def validity() -> timedelta:
    return timedelta(days=settings.UPDATE_LINK_VALID_DAYS)


class UpdateLinkQuerySet(models.QuerySet):
    def not_revoked(self):
        return self.filter(revoked_at__isnull=True)

    def active(self):
        """Not revoked and not expired: the links that work."""
        return self.not_revoked().filter(created_at__gt=timezone.now() - validity())

    def expired(self):
        return self.not_revoked().filter(created_at__lte=timezone.now() - validity())

    def expiring_soon(self):
        """Working links that stop within UPDATE_LINK_WARNING_DAYS: time to renew them."""
        warning = timedelta(days=settings.UPDATE_LINK_WARNING_DAYS)
        return self.active().filter(created_at__lte=timezone.now() - validity() + warning)

    def for_token(self, token: str) -> "UpdateLink | None":
        """The link with this token unless revoked (expired ones too, so that the page can say
        so); None for a wrong, malformed or revoked token."""
        if not token or len(token) > 100:
            return None
        return (
            self.not_revoked()
            .select_related("organisation")
            .filter(token_hash=token_hash(token))
            .first()
        )


class UpdateLink(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        related_name="update_links",
    )
    token_hash = models.CharField(
        _("token (versleuteld)"), max_length=64, unique=True, editable=False
    )
    created_at = models.DateTimeField(_("aangemaakt op"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("aangemaakt door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField(
        _("laatst gebruikt op"), null=True, blank=True, editable=False
    )

    objects = UpdateLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("bijwerklink")
        verbose_name_plural = _("bijwerklinks")
        ordering = ["organisation__name", "-created_at"]

    def __str__(self) -> str:
        return _("Bijwerklink voor %(organisation)s") % {"organisation": self.organisation.name}

    def issue_token(self) -> str:
        """Give the link a fresh token; returns the token, of which only the hash is kept."""
        token = secrets.token_urlsafe(TOKEN_BYTES)
        self.token_hash = token_hash(token)
        return token

    @property
    def expires_at(self) -> datetime:
        return self.created_at + validity()

    @property
    def has_expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.has_expired

    def revoke(self, at=None) -> None:
        if self.revoked_at is None:
            self.revoked_at = at or timezone.now()
            self.save(update_fields=["revoked_at"])


def update_link_path(token: str) -> str:
    return reverse("netwerk:place_link", kwargs={"token": token})


@transaction.atomic
def update_link_create(*, organisation: Organisation, by=None) -> tuple[UpdateLink, str]:
    """A new link for the organisation; returns it with its token, which is not stored."""
    link = UpdateLink(
        organisation=organisation,
        created_by=by if by is not None and by.is_authenticated else None,
    )
    token = link.issue_token()
    link.save()
    return link, token


@transaction.atomic
def update_link_renew(*, organisation: Organisation, by=None) -> tuple[UpdateLink, str]:
    """Revoke the organisation's links (expired ones too) and hand out a new one."""
    now = timezone.now()
    UpdateLink.objects.not_revoked().filter(organisation=organisation).update(revoked_at=now)
    return update_link_create(organisation=organisation, by=by)
