"""The admin site at /beheer/: two-factor sign-in, and a start page with the day's work."""

from django.urls import path

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

    def get_urls(self):
        # The indicators for the evaluation (netwerk.admin.indicators): pages of the site, not
        # of one model.
        from netwerk.admin import indicators

        def page(view):
            return self.admin_view(lambda request, **kwargs: view(self, request, **kwargs))

        return [
            path("indicatoren/", page(indicators.indicators_view), name="indicators"),
            path("indicatoren/indicatoren.csv", page(indicators.csv_view), name="indicators_csv"),
            path(
                "indicatoren/indicatoren.xlsx", page(indicators.xlsx_view), name="indicators_xlsx"
            ),
            path(
                "indicatoren/jaarverslag/<str:year>/",
                page(indicators.year_report_view),
                name="indicators_year_report",
            ),
            *super().get_urls(),
        ]
