from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetwerkConfig(AppConfig):
    name = "netwerk"
    verbose_name = _("Netwerk")

    def ready(self) -> None:
        # The admin is registered explicitly (see SimpleAdminConfig in settings).
        import django.contrib.auth.admin  # noqa: F401

        import netwerk.admin  # noqa: F401
