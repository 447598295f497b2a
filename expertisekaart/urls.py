from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from expertisekaart.health import healthz
from netwerk.admin.scoping import view_on_site_for_administrators

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # The admin's "view on site" redirect knows no scope: administrators only, signed in as for
    # every admin page (two-factor sign-in included).
    path(
        "beheer/r/<int:content_type_id>/<path:object_id>/",
        admin.site.admin_view(view_on_site_for_administrators),
    ),
    path("beheer/", admin.site.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/v1/", include("netwerk.api_urls")),
]

urlpatterns += i18n_patterns(
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("netwerk.urls")),
    prefix_default_language=False,
)
