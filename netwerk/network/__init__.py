"""The network's own work: its agenda (trainings, case discussions, PaTz and regional meetings)
with registrations and the iCalendar feed (`events`, `registrations`, `calendar_feed`), the
collaboration agreements between organisations (`agreements`) and the knowledge library of
documents and links (`knowledge`). Depends on directory and reference, not the other way round."""
