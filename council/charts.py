"""The geometry of the SVG bar charts of the public pages: horizontal bars, each
row a category (a year, a quarter, a budget unit), stacked by series.

Only numbers for a template to draw (templates/includes/bar_chart.html). Every
chart carries its numbers as a table behind a toggle as well, so the drawing is
never the only place of a fact.
"""

import math
from dataclasses import dataclass, field

LABEL_WIDTH = 130
RIGHT_MARGIN = 90
ROW_HEIGHT = 26
BAR_HEIGHT = 18
TOP = 22
# Series beyond this many are drawn as one ("übrige"); the legend stays short.
MAX_SERIES = 6


def nice_maximum(value):
    """The smallest 1, 2, 2.5 or 5 × 10ⁿ at or above `value` (1 for nothing)."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


@dataclass
class BarChart:
    """A chart for `bar_chart.html`: `rows` [(label, {series key: value})] in
    the order drawn, `series` [(key, label)] in the order stacked."""

    title: str
    description: str
    rows: list
    series: list
    format_value: object = str
    # Counts: ticks at whole numbers.
    integer: bool = False
    width: int = 640
    bars: list = field(default_factory=list, init=False)
    ticks: list = field(default_factory=list, init=False)

    def __post_init__(self):
        totals = [sum(values.values()) for _label, values in self.rows]
        largest = float(max(totals, default=0))
        top = nice_maximum(largest)
        if self.integer and largest <= 40:
            top = max(4, math.ceil(largest / 4) * 4)
        inner = self.width - LABEL_WIDTH - RIGHT_MARGIN

        def x(value):
            return round(LABEL_WIDTH + float(value) / top * inner, 1)

        classes = {
            key: f"series-{index}" for index, (key, _l) in enumerate(self.series)
        }
        labels = dict(self.series)
        pairs = zip(self.rows, totals, strict=True)
        for index, ((label, values), total) in enumerate(pairs):
            y = TOP + index * ROW_HEIGHT
            segments, start = [], 0
            for key, _series_label in self.series:
                value = values.get(key) or 0
                if not value:
                    continue
                segments.append(
                    {
                        "x": x(start),
                        "width": max(round(x(start + value) - x(start), 1), 1),
                        "css": classes[key],
                        "title": f"{labels[key]}: {self.format_value(value)}",
                    }
                )
                start += value
            self.bars.append(
                {
                    "label": label,
                    "y": y,
                    "text_y": y + 13,
                    "segments": segments,
                    "total_x": x(total) + 4,
                    "total": self.format_value(total) if total else "–",
                    "cells": [
                        (series_label, self.format_value(values.get(key) or 0))
                        for key, series_label in self.series
                    ],
                    "total_value": total,
                }
            )
        for step in range(5):
            value = top * step / 4
            self.ticks.append(
                {"x": x(value), "label": self.format_value(_plain(value))}
            )

    @property
    def height(self):
        return TOP + len(self.rows) * ROW_HEIGHT + 6

    @property
    def axis_bottom(self):
        return TOP + len(self.rows) * ROW_HEIGHT

    @property
    def label_width(self):
        return LABEL_WIDTH

    @property
    def legend(self):
        return [
            {"label": label, "css": f"series-{index}"}
            for index, (_key, label) in enumerate(self.series)
        ]

    @property
    def bar_height(self):
        return BAR_HEIGHT


def _plain(value):
    return int(value) if float(value).is_integer() else value


def fold_series(rows, series, other_label):
    """`series` cut to the MAX_SERIES - 1 largest (over all rows), the rest summed
    into one series `other_label`; returns (rows, series)."""
    if len(series) <= MAX_SERIES:
        return rows, series
    totals = {
        key: sum(values.get(key) or 0 for _label, values in rows) for key, _l in series
    }
    kept = sorted(series, key=lambda pair: -totals[pair[0]])[: MAX_SERIES - 1]
    kept_keys = {key for key, _label in kept}
    other = "__other__"
    folded = []
    for label, values in rows:
        new = {key: value for key, value in values.items() if key in kept_keys}
        rest = sum(value for key, value in values.items() if key not in kept_keys)
        if rest:
            new[other] = rest
        folded.append((label, new))
    kept = [pair for pair in series if pair[0] in kept_keys]
    return folded, [*kept, (other, other_label)]
