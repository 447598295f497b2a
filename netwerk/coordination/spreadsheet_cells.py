"""Text cells that a spreadsheet would run as a formula, escaped on export and restored on import.

Excel, LibreOffice and Google Sheets treat a cell that starts with ``=``, ``+``, ``-`` or ``@``
(and, via a tab or carriage return, the same after whitespace) as a formula: an organisation
named ``=HYPERLINK("http://evil";"klik")`` becomes a link in the coordinator's spreadsheet. The
OWASP advice is to prefix such a cell with a single quote. ``unescape_cell`` undoes exactly that
prefix, so that an exported sheet imports again unchanged.

The pair is exact both ways: a text that already starts with a quote before one of those
characters (``'=x``) gets a second quote too, so ``unescape_cell(escape_cell(text)) == text``
for every text. Numbers are left alone (-4.5 is a number, not a formula).
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def needs_quote(text: str) -> bool:
    """Whether the text would start a formula, or already looks like an escaped one."""
    stripped = text.lstrip(QUOTE)
    return stripped.startswith(FORMULA_STARTS)


def escape_cell(value):
    """The value to write into a spreadsheet cell: a formula-like text prefixed with a quote."""
    if isinstance(value, str) and needs_quote(value):
        return QUOTE + value
    return value


def unescape_cell(value):
    """The value as it was before ``escape_cell``: one leading quote removed where it added one."""
    if isinstance(value, str) and value.startswith(QUOTE) and needs_quote(value[1:]):
        return value[1:]
    return value
