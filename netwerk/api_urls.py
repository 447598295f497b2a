"""The open data API (/api/v1/): outside the language prefixes, the same in every language."""

from django.urls import path

from netwerk.views import open_data

app_name = "open_data_api"

urlpatterns = [
    path("", open_data.api_root, name="root"),
    path("openapi.json", open_data.openapi, name="openapi"),
    path("organizations", open_data.organizations, name="organizations"),
    path("organizations/<str:pk>", open_data.organization, name="organization"),
    path("services", open_data.services, name="services"),
    path("services/<str:pk>", open_data.service, name="service"),
    path("service_at_locations", open_data.service_at_locations, name="service_at_locations"),
    path("taxonomies", open_data.taxonomies, name="taxonomies"),
    path("taxonomies/<str:pk>", open_data.taxonomy, name="taxonomy"),
    path("taxonomy_terms", open_data.taxonomy_terms, name="taxonomy_terms"),
    path("taxonomy_terms/<str:pk>", open_data.taxonomy_term, name="taxonomy_term"),
]
