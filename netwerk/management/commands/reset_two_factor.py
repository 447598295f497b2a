"""Remove a user's authenticator app (two-factor sign-in), for a lost or replaced phone.

At their next sign-in at /beheer/ the user sets up an app again, after their password. Sessions
verified with the removed app are no longer verified.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Remove a user's two-factor authenticator app, so they set up a new one at next sign-in."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        User = get_user_model()
        user = User.objects.filter(**{User.USERNAME_FIELD: username}).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        removed, _ = TOTPDevice.objects.filter(user=user).delete()
        if removed:
            self.stdout.write(
                f"Two-factor sign-in of {username} reset: they set up an authenticator app "
                "again at their next sign-in."
            )
        else:
            self.stdout.write(f"{username} had no authenticator app; nothing to reset.")
