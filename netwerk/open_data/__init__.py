"""Open data: the published directory in the shape of the Open Referral Human Services Data
Specification (HSDS 3.0), for the read-only API, the dated downloads and neighbouring networks.

- `vocabularies`: the published taxonomies (expertise from the database; organisation kinds,
  care settings, acceptance terms, line purposes and availability as fixed terms) with stable ids;
- `hsds`: pure functions from our models to HSDS dicts (what is public, and nothing else, is
  decided by the querysets handed to them, see `queries`);
- `queries`: the published objects with what the mapping reads, in a fixed number of queries,
  with the API's filters;
- `parameters`: the API's query parameters, validated with Dutch messages;
- `openapi`: the OpenAPI 3 description of the API;
- `export`: the dated snapshot (HSDS tabular CSV files with `datapackage.json`, and one JSON).

Depends on directory, places, consultation, reference and search (the full-text search and the
data version); nothing depends on it but the views and management commands.
"""
