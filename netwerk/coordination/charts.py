"""Charts as server-rendered SVG: no JavaScript, they print, and they read out.

Each chart is an `<svg role="img">` named by its `<title>` and `<desc>`; the page puts a table
with the same figures beside it, which is the accessible alternative (a screen reader hears the
title and description, then reads the table). Colours are the Okabe–Ito palette, which stays
distinct for the common kinds of colour blindness, and lines differ by dash pattern as well, so
the chart survives a black-and-white printer. Pure functions of their figures: no Django model,
no request.
"""

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]
DASHES = ["", "6 3", "2 3", "8 3 2 3", "1 2", "4 4", "10 2"]
FONT = 'font-family="inherit" font-size="12"'


@dataclass(frozen=True)
class Series:
    label: str
    values: list[float | None]


def nice_ceiling(value: float) -> float:
    """The smallest round number (1, 2, 2.5, 5 × 10^n) at or above `value`."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power  # pragma: no cover


def px(value: float) -> str:
    return f"{value:.1f}"


def number(value: float, decimals: int = 1) -> str:
    """Dutch notation: a decimal comma, no needless ',0'."""
    if value is None:
        return "–"
    if float(value).is_integer():
        return f"{int(value)}"
    return f"{value:.{decimals}f}".replace(".", ",")


def axis_label(value: float, percent: bool) -> str:
    return f"{number(value * 100, 0)}%" if percent else number(value)


def header(chart_id: str, title: str, description: str, width: int, height: int) -> SafeString:
    return format_html(
        '<svg class="ek-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" '
        'role="img" aria-labelledby="{}-title {}-desc" preserveAspectRatio="xMinYMin meet">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>',
        width,
        height,
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        description,
    )


def legend(series: list[Series], x: int, y: int, line: bool) -> SafeString:
    """One row of keys above the plot; wraps to a second row after four."""
    parts = []
    for index, item in enumerate(series):
        column, row = index % 4, index // 4
        left, top = x + column * 170, y + row * 18
        colour, dash = COLOURS[index % len(COLOURS)], DASHES[index % len(DASHES)]
        if line:
            key = format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="3" '
                'stroke-dasharray="{}"/>',
                left,
                top - 4,
                left + 22,
                top - 4,
                colour,
                dash,
            )
        else:
            key = format_html(
                '<rect x="{}" y="{}" width="14" height="12" fill="{}"/>', left, top - 11, colour
            )
        parts.append(
            format_html(
                '{}<text x="{}" y="{}" {}>{}</text>',
                key,
                left + 28,
                top,
                mark_safe(FONT),
                item.label,
            )
        )
    return mark_safe("".join(parts))


def line_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    x_labels: list[str],
    series: list[Series],
    y_label: str,
    label_every: int = 4,
    width: int = 760,
    height: int = 300,
) -> SafeString:
    """Lines over a shared x axis (weeks, months): one per series, gaps where a value is None."""
    rows_of_keys = math.ceil(len(series) / 4)
    left, right, top, bottom = 56, 16, 24 + 18 * rows_of_keys, 44
    plot_width, plot_height = width - left - right, height - top - bottom
    values = [v for item in series for v in item.values if v is not None]
    ceiling = nice_ceiling(max(values, default=0))
    count = max(len(x_labels), 1)

    def x(index: int) -> float:
        return left + (plot_width * index / (count - 1) if count > 1 else plot_width / 2)

    def y(value: float) -> float:
        return top + plot_height * (1 - value / ceiling)

    parts = [header(chart_id, title, description, width, height)]
    parts.append(legend(series, left, 16, line=True))
    for step in range(5):
        value = ceiling * step / 4
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#d0d0d0"/>'
                '<text x="{}" y="{}" text-anchor="end" {}>{}</text>',
                left,
                px(y(value)),
                width - right,
                px(y(value)),
                left - 6,
                px(y(value) + 4),
                mark_safe(FONT),
                axis_label(value, False),
            )
        )
    for index, label in enumerate(x_labels):
        if index % label_every == 0 or (index == count - 1 and count <= label_every):
            parts.append(
                format_html(
                    '<text x="{}" y="{}" text-anchor="middle" {}>{}</text>',
                    px(x(index)),
                    height - bottom + 18,
                    mark_safe(FONT),
                    label,
                )
            )
    parts.append(
        format_html(
            '<text x="14" y="{}" transform="rotate(-90 14 {})" text-anchor="middle" {}>{}</text>',
            px(top + plot_height / 2),
            px(top + plot_height / 2),
            mark_safe(FONT),
            y_label,
        )
    )
    for number_of_series, item in enumerate(series):
        for run in runs(item.values):
            points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in run)
            parts.append(
                format_html(
                    '<polyline points="{}" fill="none" stroke="{}" stroke-width="2.5" '
                    'stroke-dasharray="{}" stroke-linejoin="round"/>',
                    points,
                    COLOURS[number_of_series % len(COLOURS)],
                    DASHES[number_of_series % len(DASHES)],
                )
            )
    parts.append(
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#333"/>',
            left,
            top + plot_height,
            width - right,
            top + plot_height,
        )
    )
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(parts))


def runs(values: list[float | None]) -> list[list[tuple[int, float]]]:
    """Stretches without a gap; a single point is drawn as a tiny stroke."""
    found, current = [], []
    for index, value in enumerate(values):
        if value is None:
            if current:
                found.append(current)
            current = []
        else:
            current.append((index, value))
    if current:
        found.append(current)
    return [run if len(run) > 1 else run * 2 for run in found]


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    categories: list[str],
    series: list[Series],
    percent: bool = False,
    stacked: bool = False,
    width: int = 760,
) -> SafeString:
    """Horizontal bars, one row per category (names can be long): grouped by series, or
    stacked (shares of a whole, as 0–1 with `percent`)."""
    rows_of_keys = math.ceil(len(series) / 4)
    label_width, right, top = 220, 56, 24 + 18 * rows_of_keys
    bar, gap = 16, 10
    per_row = bar if stacked else bar * len(series)
    height = top + len(categories) * (per_row + gap) + 24
    plot_width = width - label_width - right
    if stacked:
        totals = [sum(item.values[i] or 0 for item in series) for i in range(len(categories))]
        ceiling = 1 if percent else nice_ceiling(max(totals, default=0))
    else:
        values = [v for item in series for v in item.values if v is not None]
        ceiling = (
            1 if percent and max(values, default=0) <= 1 else nice_ceiling(max(values, default=0))
        )

    def length(value: float) -> float:
        return plot_width * (value or 0) / ceiling

    parts = [header(chart_id, title, description, width, height)]
    parts.append(legend(series, label_width, 16, line=False))
    for step in range(5):
        value = ceiling * step / 4
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#d0d0d0"/>'
                '<text x="{}" y="{}" text-anchor="middle" {}>{}</text>',
                px(label_width + length(value)),
                top - 4,
                px(label_width + length(value)),
                height - 20,
                px(label_width + length(value)),
                height - 6,
                mark_safe(FONT),
                axis_label(value, percent),
            )
        )
    for row, category in enumerate(categories):
        row_top = top + row * (per_row + gap)
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" {}>{}</text>',
                label_width - 8,
                px(row_top + per_row / 2 + 4),
                mark_safe(FONT),
                category if len(category) <= 34 else category[:33] + "…",
            )
        )
        offset = 0.0
        for index, item in enumerate(series):
            value = item.values[row] or 0
            colour = COLOURS[index % len(COLOURS)]
            if stacked:
                parts.append(
                    format_html(
                        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="#fff"/>',
                        px(label_width + offset),
                        row_top,
                        px(length(value)),
                        bar,
                        colour,
                    )
                )
                offset += length(value)
            else:
                bar_top = row_top + index * bar
                parts.append(
                    format_html(
                        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>'
                        '<text x="{}" y="{}" {}>{}</text>',
                        label_width,
                        bar_top + 1,
                        px(length(value)),
                        bar - 2,
                        colour,
                        px(label_width + length(value) + 4),
                        bar_top + bar - 4,
                        mark_safe(FONT),
                        axis_label(value, percent),
                    )
                )
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(parts))


def table_rows(rows: list[list]) -> SafeString:
    """`<tr>`s for a chart's table, the first cell a row header."""
    return format_html_join(
        "",
        "<tr>{}</tr>",
        (
            (
                format_html(
                    '<th scope="row">{}</th>{}',
                    row[0],
                    format_html_join("", "<td>{}</td>", ((cell,) for cell in row[1:])),
                ),
            )
            for row in rows
        ),
    )


@cache
def boundaries(path: Path) -> list[dict]:
    """The features of a GeoJSON file, read once per process."""
    return json.loads(Path(path).read_text())["features"]


def rings(geometry: dict) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return geometry["coordinates"]
    if geometry["type"] == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    return []


def choropleth(
    *,
    chart_id: str,
    title: str,
    description: str,
    shapes: list[tuple[dict, str, str]],
    legend: list[tuple[str, str]],
    width: int = 640,
) -> SafeString:
    """Areas (GeoJSON geometry, fill colour, name) on a plain equirectangular projection,
    squeezed by the cosine of the middle latitude: right enough for a region of a country."""
    points = [point for geometry, _c, _n in shapes for ring in rings(geometry) for point in ring]
    if not points:
        return mark_safe("")
    west, east = min(p[0] for p in points), max(p[0] for p in points)
    south, north = min(p[1] for p in points), max(p[1] for p in points)
    squeeze = math.cos(math.radians((north + south) / 2))
    span_x, span_y = max((east - west) * squeeze, 1e-6), max(north - south, 1e-6)
    map_width = width - 160
    scale = map_width / span_x
    height = max(int(span_y * scale) + 20, 24 * len(legend) + 40)

    def project(point) -> str:
        return (
            f"{(point[0] - west) * squeeze * scale + 10:.1f},{(north - point[1]) * scale + 10:.1f}"
        )

    parts = [header(chart_id, title, description, width, height)]
    for geometry, fill, name in shapes:
        path = " ".join(
            "M" + " L".join(project(p) for p in ring) + " Z" for ring in rings(geometry)
        )
        parts.append(
            format_html(
                '<path d="{}" fill="{}" stroke="#fff" stroke-width="1"><title>{}</title></path>',
                path,
                fill,
                name,
            )
        )
    for index, (fill, label) in enumerate(legend):
        top = 20 + index * 24
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="16" height="16" fill="{}" stroke="#333"/>'
                '<text x="{}" y="{}" {}>{}</text>',
                width - 140,
                top,
                fill,
                width - 118,
                top + 13,
                mark_safe(FONT),
                label,
            )
        )
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(parts))
