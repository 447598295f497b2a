"""Neighbours: other networks' social maps, read through their HSDS 3.0 API (our own
`/api/v1/` on another instance, or any service speaking HSDS 3.0).

- `networks`: the neighbours a coordinator registered, and the read-only copies of their
  organisations and lines, with the municipalities they reach;
- `reading`: fetching a neighbour's paginated lists (timeout, size and page limits, no
  redirects) and checking every object we store by hand against the rules of HSDS 3.0;
- `sync`: one neighbour's sync, all or nothing, with its outcome recorded on the neighbour;
- `outside`: what the neighbours know about a postcode that lies outside our own regions.

Depends on reference (municipalities, PC4 areas, regions) and search (the write path moves the
published version after a sync); nothing but views, admin and management commands depends on it.
"""
