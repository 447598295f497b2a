"""The admin site at /beheer/: two-factor sign-in, and a start page with the day's work."""

from expertisekaart import two_factor


class AdminSite(two_factor.AdminSite):
    index_template = "admin/workspace.html"

    def index(self, request, extra_context=None):
        # Imported here: the admin modules register on this site, which must exist first.
        from netwerk.admin.workspace import workspace_context

        return super().index(request, {**workspace_context(self, request), **(extra_context or {})})

    def get_app_list(self, request, app_label=None):
        from netwerk.admin.workspace import app_list_with_settings

        apps = super().get_app_list(request, app_label)
        return apps if app_label else app_list_with_settings(request, apps)
