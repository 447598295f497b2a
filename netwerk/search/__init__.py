"""Finding organisations: the search documents (full text on PostgreSQL, a portable fallback on
SQLite), the filters shared by the list, the map and the CSV, the map's GeoJSON, the caches
of the public pages keyed on the published data's version, where expertise is missing in the
network (`coverage`) and the use of the site as aggregated counters (`usage`)."""
