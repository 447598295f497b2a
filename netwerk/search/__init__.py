"""Finding organisations: the search documents (full text on PostgreSQL, a portable fallback on
SQLite), the filters shared by the list, the map and the CSV, the map's GeoJSON, and the caches
of the public pages keyed on the published data's version."""
