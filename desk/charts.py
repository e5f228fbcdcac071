"""The dashboard's charts as server-drawn SVG: no script, no library, right to left.

Time runs from right (oldest) to left (newest) as Arabic reads; numbers use the page's digits.
Each bar carries its value in `data-value` and a <title>, and each chart is followed by the same
numbers as a table for screen readers, so what is drawn can be checked against the database.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from articles import arabic

from .figures import Figures

# A narrow drawing scales up on a wide screen and stays legible on a phone.
WIDTH, HEIGHT = 480, 200
TOP, BOTTOM, START, END = 12, 30, 34, 36  # START is the right edge in right-to-left pages
# Colour-blind-safe (Okabe–Ito), dark enough for white gaps between stacked parts.
PALETTE = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#7f6a00", "#555555"]


def digits(value) -> str:
    return arabic.localize_digits(str(value), get_language())


def duration(value: timedelta | None) -> str:
    if value is None:
        return "—"
    minutes = int(value.total_seconds() // 60)
    return digits(_("%(h)s h %(m)s min") % {"h": minutes // 60, "m": f"{minutes % 60:02d}"})


def short_day(day: date) -> str:
    if get_language() == "ar":
        return digits(f"{day.day} {arabic.LEVANTINE_MONTHS[day.month - 1]}")
    return f"{day.day} {day:%b}"


@dataclass
class Axis:
    """A vertical scale with round gridlines."""

    top: float
    step: float

    @classmethod
    def for_max(cls, largest: float) -> "Axis":
        step = 1
        for candidate in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
            step = candidate
            if largest / candidate <= 4:
                break
        top = max(step, -(-largest // step) * step)
        return cls(top, step)

    def y(self, value: float) -> float:
        plot = HEIGHT - TOP - BOTTOM
        return TOP + plot - plot * (value / self.top if self.top else 0)

    def ticks(self) -> list[float]:
        return [self.step * n for n in range(int(self.top // self.step) + 1)]


def _slot(index: int, count: int) -> tuple[float, float]:
    """(x, width) of the index-th bar counted from the right (oldest first)."""
    step = (WIDTH - START - END) / count
    right = WIDTH - START - index * step
    gap = min(2.0, step * 0.2)
    return right - step + gap / 2, step - gap


def _frame(axis: Axis, days: list[date], label_fmt=None) -> SafeString:
    label_fmt = label_fmt or (lambda v: digits(int(v)))
    grid = format_html_join(
        "",
        '<line x1="{}" x2="{}" y1="{}" y2="{}" class="grid"/>'
        '<text x="{}" y="{}" class="tick" text-anchor="start">{}</text>',
        (
            (
                END,
                WIDTH - START,
                f"{axis.y(t):.1f}",
                f"{axis.y(t):.1f}",
                WIDTH - START + 4,
                f"{axis.y(t) + 4:.1f}",
                label_fmt(t),
            )
            for t in axis.ticks()
        ),
    )
    every = max(1, len(days) // 4)
    labels = format_html_join(
        "",
        '<text x="{}" y="{}" class="day" text-anchor="middle">{}</text>',
        (
            (f"{_slot(i, len(days))[0] + _slot(i, len(days))[1] / 2:.1f}", HEIGHT - BOTTOM + 16, short_day(day))
            for i, day in enumerate(days)
            if (len(days) - 1 - i) % every == 0
        ),
    )
    return grid + labels


def _svg(chart_id: str, title: str, body: SafeString) -> SafeString:
    return format_html(
        '<svg class="desk-chart" id="{}" viewBox="0 0 {} {}" role="img" aria-labelledby="{}-title" '
        'xmlns="http://www.w3.org/2000/svg" direction="rtl"><title id="{}-title">{}</title>{}</svg>',
        chart_id,
        WIDTH,
        HEIGHT,
        chart_id,
        chart_id,
        title,
        body,
    )


def published_chart(figures: Figures) -> SafeString:
    """Stories published per day, stacked by section."""
    totals = [sum(figures.published.get((day, s.pk), 0) for s in figures.sections) for day in figures.days]
    axis = Axis.for_max(max(totals, default=0) or 1)
    bars = []
    for i, day in enumerate(figures.days):
        x, width = _slot(i, len(figures.days))
        base = 0
        for n, section in enumerate(figures.sections):
            value = figures.published.get((day, section.pk), 0)
            if not value:
                continue
            y0, y1 = axis.y(base), axis.y(base + value)
            bars.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" data-day="{}" data-section="{}" '
                    'data-value="{}"><title>{}: {} {}</title></rect>',
                    f"{x:.1f}",
                    f"{y1:.1f}",
                    f"{width:.1f}",
                    f"{y0 - y1:.1f}",
                    PALETTE[n % len(PALETTE)],
                    day.isoformat(),
                    section.pk,
                    value,
                    short_day(day),
                    section.name,
                    digits(value),
                )
            )
            base += value
    body = _frame(axis, figures.days) + mark_safe("".join(bars))  # noqa: S308 (built with format_html)
    return _svg("chart-published", _("Stories published per day and section"), body)


def day_bars(chart_id: str, title: str, days: list[date], values: dict[date, float], label_fmt=None) -> SafeString:
    axis = Axis.for_max(max(values.values(), default=0) or 1)
    bars = []
    for i, day in enumerate(days):
        value = values.get(day, 0)
        if not value:
            continue
        x, width = _slot(i, len(days))
        shown = label_fmt(value) if label_fmt else digits(value)
        bars.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" class="bar" data-day="{}" data-value="{}">'
                "<title>{}: {}</title></rect>",
                f"{x:.1f}",
                f"{axis.y(value):.1f}",
                f"{width:.1f}",
                f"{axis.y(0) - axis.y(value):.1f}",
                day.isoformat(),
                value,
                short_day(day),
                shown,
            )
        )
    return _svg(chart_id, title, _frame(axis, days, label_fmt) + mark_safe("".join(bars)))  # noqa: S308


def returned_chart(figures: Figures) -> SafeString:
    return day_bars("chart-returned", _("Stories returned for changes per day"), figures.days, figures.returned)


def wait_chart(figures: Figures) -> SafeString:
    """Median hours from submission to publication per day."""
    hours = {
        day: round(median.total_seconds() / 3600, 2)
        for day, (median, _slowest) in figures.wait_by_day.items()
        if median is not None
    }
    return day_bars(
        "chart-wait",
        _("Median time from submission to publication per day (hours)"),
        figures.days,
        hours,
        label_fmt=lambda v: digits(f"{v:g}".replace(".", "٫" if get_language() == "ar" else ".")),
    )


def budget_chart(figures: Figures) -> SafeString:
    """Today's budget per section: planned (light) and filed (dark), bars growing from the right."""
    rows = figures.budget
    row_height, label_width = 30, 120
    height = max(1, len(rows)) * row_height + 10
    largest = max((row.planned for row in rows), default=1) or 1
    plot = WIDTH - label_width - 60
    parts = []
    for i, row in enumerate(rows):
        y = 6 + i * row_height
        planned_w, filed_w = plot * row.planned / largest, plot * row.filed / largest
        right = WIDTH - label_width
        parts.append(
            format_html(
                '<text x="{}" y="{}" class="label" text-anchor="start">{}</text>'
                '<rect x="{}" y="{}" width="{}" height="18" class="planned" data-section="{}" data-value="{}">'
                "<title>{}: {} {}</title></rect>"
                '<rect x="{}" y="{}" width="{}" height="18" class="filed" data-section="{}" data-value="{}">'
                "<title>{}: {} {}</title></rect>"
                '<text x="{}" y="{}" class="tick" text-anchor="start">{}</text>',
                WIDTH - 4,
                y + 14,
                row.section.name,
                f"{right - planned_w:.1f}",
                y,
                f"{planned_w:.1f}",
                row.section.pk,
                row.planned,
                row.section.name,
                digits(row.planned),
                _("planned"),
                f"{right - filed_w:.1f}",
                y,
                f"{filed_w:.1f}",
                row.section.pk,
                row.filed,
                row.section.name,
                digits(row.filed),
                _("filed"),
                f"{right - planned_w - 6:.1f}",
                y + 14,
                digits(_("%(filed)s of %(planned)s") % {"filed": row.filed, "planned": row.planned}),
            )
        )
    return format_html(
        '<svg class="desk-chart desk-chart-budget" id="chart-budget" viewBox="0 0 {} {}" role="img" '
        'aria-labelledby="chart-budget-title" xmlns="http://www.w3.org/2000/svg" direction="rtl">'
        '<title id="chart-budget-title">{}</title>{}</svg>',
        WIDTH,
        height,
        _("Today's budget: filed against planned"),
        mark_safe("".join(parts)),  # noqa: S308
    )
