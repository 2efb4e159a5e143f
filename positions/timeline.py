"""The geometry of the SVG time charts: days on an x axis, year ticks, bars.

Only numbers for a template to draw; the page carries the same facts as text
(the charts are aria-hidden), so a chart never is the only place of a fact.
"""

import datetime
from dataclasses import dataclass

# Room left of the axis for a bar's label, and right of it for the last tick.
LABEL_WIDTH = 170
RIGHT_MARGIN = 10
TOP = 24


@dataclass(frozen=True)
class TimeAxis:
    """Days from `first` to `last` mapped onto `width` pixels after the labels."""

    first: datetime.date
    last: datetime.date
    width: int = 640
    label_width: int = LABEL_WIDTH

    @property
    def inner(self):
        return self.width - self.label_width - RIGHT_MARGIN

    def x(self, day):
        total = max((self.last - self.first).days, 1)
        return self.label_width + round((day - self.first).days / total * self.inner, 1)

    def ticks(self):
        """A tick at each first of January inside the axis."""
        return [
            {"year": year, "x": self.x(datetime.date(year, 1, 1))}
            for year in range(self.first.year + 1, self.last.year + 1)
        ]


def decision_timeline(decisions, in_force, width=640, row_height=26):
    """Bars for a position's decisions: x from start to end, open ends drawn a
    year past the last known date; None when no decision has a start."""
    spans = []
    for decision in decisions:
        start = decision.effective_from or decision.paper.date
        if start is None:
            continue
        spans.append((decision, start, decision.expiry))
    if not spans:
        return None
    first = min(start for _, start, _ in spans)
    known_ends = [end for _, _, end in spans if end] + [s for _, s, _ in spans]
    last = max(known_ends) + datetime.timedelta(days=365)
    axis = TimeAxis(first, last, width)
    bars = []
    for index, (decision, start, end) in enumerate(spans):
        stop = end or last
        bars.append(
            {
                "decision": decision,
                "x": axis.x(start),
                "width": max(round(axis.x(stop) - axis.x(start), 1), 2),
                "y": TOP + index * row_height,
                "text_y": TOP + index * row_height + 15,
                "open_end": end is None,
                "in_force": decision.pk in in_force,
            }
        )
    return {
        "width": width,
        "height": 30 + len(bars) * row_height,
        "bars": bars,
        "ticks": axis.ticks(),
        "axis_bottom": TOP + len(bars) * row_height,
    }
