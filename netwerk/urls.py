from django.urls import path

from netwerk.views import (
    agenda,
    agreements,
    consultation,
    coverage,
    directory,
    error_reports,
    home,
    knowledge,
    open_data,
    pages,
    places,
    search,
)

app_name = "netwerk"

urlpatterns = [
    path("", home.home, name="home"),
    path("zoeken/", search.search_page, name="search"),
    path("zoeken/resultaten/", search.search_fragment, name="search_fragment"),
    path("zoeken/kaart.geojson", search.search_geojson, name="search_geojson"),
    path("zoeken/export.csv", search.search_csv, name="search_csv"),
    path("organisaties/<slug:slug>/", directory.organisation_detail, name="organisation"),
    path(
        "organisaties/<slug:slug>/meld-een-fout/", error_reports.error_report, name="error_report"
    ),
    path("expertise-in-de-regio/", coverage.coverage_page, name="coverage"),
    path("expertise-in-de-regio/export.csv", coverage.coverage_csv, name="coverage_csv"),
    path("wie-bel-ik-nu/", consultation.who_to_call, name="who_to_call"),
    path("plek-zoeken/", places.place_finder, name="place_finder"),
    path("mijn-plekken/", places.my_places, name="my_places"),
    path("plekken-bijwerken/<str:token>/", places.place_link, name="place_link"),
    path("agenda/", agenda.agenda, name="agenda"),
    path("agenda.ics", agenda.agenda_feed, name="agenda_feed"),
    path("agenda/<slug:kind>.ics", agenda.agenda_feed, name="agenda_feed_kind"),
    path("agenda/afmelden/<str:token>/", agenda.cancel, name="registration_cancel"),
    path("agenda/<slug:slug>/", agenda.event_detail, name="event"),
    path("agenda/<slug:slug>/agenda.ics", agenda.event_feed, name="event_feed"),
    path("samenwerking/", agreements.network_view, name="agreements"),
    path("kennisbank/", knowledge.library, name="knowledge"),
    path("open-data/", open_data.open_data_page, name="open_data"),
    path("open-data/downloads/<str:filename>", open_data.download, name="open_data_download"),
    path("privacy/", pages.privacy, name="privacy"),
    path("toegankelijkheid", pages.accessibility, name="accessibility"),
    path("thema.css", pages.theme_css, name="theme_css"),
]
