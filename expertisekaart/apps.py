from django.contrib.admin.apps import SimpleAdminConfig


class AdminConfig(SimpleAdminConfig):
    """The Django admin with our AdminSite (two-factor sign-in) as `admin.site`.

    Simple, not autodiscovering: autodiscovery would import leaflet.admin, which needs GDAL. The
    site lives in its own module, imported only when `admin.site` is first used (after the
    models are loaded).
    """

    default_site = "expertisekaart.admin_site.AdminSite"
