"""Server-side SVG charts: horizontal bars with the value written at each bar and a fill
pattern per series (solid, hatched, dotted), so they read without colour and print."""

from dataclasses import dataclass
from itertools import count

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Dark enough on white for AA contrast of the bars; the patterns carry the meaning.
COLOURS = ("#1f4e79", "#7a3e00", "#2e6930", "#5b2a86")
PATTERNS = ("solid", "hatch", "dots", "cross")
ROW = 22
BAR = 14
LABEL_WIDTH = 220
PLOT_WIDTH = 420
VALUE_WIDTH = 70

_ids = count(1)


@dataclass(frozen=True)
class Series:
    name: str
    values: list[float]


def _defs(prefix: str) -> str:
    parts = []
    for index, (colour, pattern) in enumerate(zip(COLOURS, PATTERNS, strict=True)):
        pid = f"{prefix}-p{index}"
        if pattern == "solid":
            body = f'<rect width="8" height="8" fill="{colour}"/>'
        elif pattern == "hatch":
            body = (f'<rect width="8" height="8" fill="#ffffff"/>'
                    f'<path d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4" stroke="{colour}" '
                    f'stroke-width="2.5"/>')
        elif pattern == "dots":
            body = (f'<rect width="8" height="8" fill="#ffffff"/>'
                    f'<circle cx="4" cy="4" r="2.2" fill="{colour}"/>')
        else:
            body = (f'<rect width="8" height="8" fill="#ffffff"/>'
                    f'<path d="M0,0 l8,8 M8,0 l-8,8" stroke="{colour}" stroke-width="1.6"/>')
        parts.append(f'<pattern id="{pid}" width="8" height="8" '
                     f'patternUnits="userSpaceOnUse">{body}</pattern>')
    return "<defs>" + "".join(parts) + "</defs>"


def _number(value: float, unit: str) -> str:
    text = f"{value:.1f}" if isinstance(value, float) and not value.is_integer() else \
        f"{int(value):,}".replace(",", ".")
    return f"{text}{unit}"


def bar_chart(*, title: str, labels: list[str], series: list[Series], unit: str = "",
              maximum: float | None = None) -> SafeString:
    """Grouped horizontal bars: one group per label, one bar per series."""
    prefix = f"chart{next(_ids)}"
    peak = maximum or max((v for s in series for v in s.values), default=0) or 1
    per_group = len(series) * BAR + (ROW - BAR)
    legend_height = 22 if len(series) > 1 else 0
    height = legend_height + len(labels) * per_group + 8
    width = LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="report-chart" role="img" '
           f'viewBox="0 0 {width} {height}" width="100%" '
           f'aria-labelledby="{prefix}-title"><title id="{prefix}-title">{escape(title)}'
           f'</title>', _defs(prefix)]
    if len(series) > 1:
        x = LABEL_WIDTH
        for index, item in enumerate(series):
            out.append(f'<rect x="{x}" y="4" width="14" height="12" fill="url(#{prefix}-p'
                       f'{index % 4})" stroke="#222"/><text x="{x + 18}" y="14" '
                       f'font-size="11">{escape(item.name)}</text>')
            x += 26 + 7 * len(item.name)
    y = legend_height
    for row, label in enumerate(labels):
        out.append(f'<text x="{LABEL_WIDTH - 6}" y="{y + per_group / 2 + 2}" font-size="11" '
                   f'text-anchor="end">{escape(label[:38])}</text>')
        for index, item in enumerate(series):
            value = item.values[row] if row < len(item.values) else 0
            bar = PLOT_WIDTH * (value or 0) / peak
            top = y + index * BAR + 2
            out.append(f'<rect x="{LABEL_WIDTH}" y="{top}" width="{bar:.1f}" '
                       f'height="{BAR - 2}" fill="url(#{prefix}-p{index % 4})" '
                       f'stroke="#222" stroke-width="0.6"/>'
                       f'<text x="{LABEL_WIDTH + bar + 4:.1f}" y="{top + BAR - 4}" '
                       f'font-size="10">{escape(_number(value or 0, unit))}</text>')
        y += per_group
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every text above is escaped
