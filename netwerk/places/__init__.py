"""Places (hospice, institution, at home): what they accept, their availability and its history,
the update links of teams without an account, and the place finder's ranking. Depends on
directory and reference."""
