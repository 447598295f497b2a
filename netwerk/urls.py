from django.urls import path

from netwerk.views import consultation, home, organisations, pages

app_name = "netwerk"

urlpatterns = [
    path("", home.home, name="home"),
    path("organisaties/<slug:slug>/", organisations.organisation_detail, name="organisation"),
    path("wie-bel-ik-nu/", consultation.who_to_call, name="who_to_call"),
    path("privacy/", pages.privacy, name="privacy"),
    path("toegankelijkheid", pages.accessibility, name="accessibility"),
    path("thema.css", pages.theme_css, name="theme_css"),
]
