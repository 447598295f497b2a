"""The coordinators' work on the data: spreadsheet import and export, change history and revert,
verification, error reports from visitors, and forgetting personal data (retention)."""
