"""The directory: organisations, their locations and contacts, and who may change what
(`access`). Depends only on reference."""
