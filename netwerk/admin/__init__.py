"""The coordinators' side: every domain model in the Django admin at /beheer/."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from netwerk.admin import (  # noqa: F401  (registers)
    consultation,
    directory,
    error_reports,
    neighbours,
    network,
    places,
    reference,
    vocabulary,
)

admin.site.site_header = _("Expertisekaart – beheer")
admin.site.site_title = _("Expertisekaart beheer")
admin.site.index_title = _("Expertisekaart bijhouden")
