"""Consultation lines: their weekly schedules and exceptions, the opening-hours engine (pure
Python, Europe/Amsterdam, Dutch holidays), the spreadsheet notation of opening hours and the
answer to "who do I call now?". Depends on directory and reference."""
