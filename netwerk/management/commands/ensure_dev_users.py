"""Development accounts for `make run`: a superuser and a signed-in professional.

Only when DEBUG is on. Passwords are random, kept in .dev-users (ignored by git) and printed.
"""

import json
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

CREDENTIALS_FILE = Path(settings.BASE_DIR) / ".dev-users"
ACCOUNTS = {"beheer": {"is_staff": True, "is_superuser": True}, "zorgverlener": {}}


class Command(BaseCommand):
    help = "Create the development superuser and professional (DEBUG only) and print their logins."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            self.stdout.write("DEBUG is off: no development accounts are created.")
            return
        credentials = self.stored_credentials()
        User = get_user_model()
        for username, flags in ACCOUNTS.items():
            user = User.objects.filter(username=username).first()
            if (
                user is None
                or username not in credentials
                or not user.check_password(credentials[username])
            ):
                credentials[username] = secrets.token_urlsafe(12)
                user = user or User(username=username, **flags)
                user.set_password(credentials[username])
                user.save()
        CREDENTIALS_FILE.write_text(json.dumps(credentials, indent=2))
        self.stdout.write(
            "Development logins (also in .dev-users):\n"
            f"  admin (http://127.0.0.1:8000/beheer/): beheer / {credentials['beheer']}\n"
            f"  professional: zorgverlener / {credentials['zorgverlener']}"
        )

    def stored_credentials(self) -> dict[str, str]:
        try:
            return json.loads(CREDENTIALS_FILE.read_text())
        except (FileNotFoundError, ValueError):
            return {}
