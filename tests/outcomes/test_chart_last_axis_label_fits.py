"""The trend chart's labels near the right edge (the last month, the last injection) stay inside the SVG."""

import datetime as dt
from decimal import Decimal

from outcomes.charts import trend_svg
from outcomes.instruments import INSTRUMENTS

FONT_SIZE = 11  # templates/outcomes/_trend_chart.html
CHARACTER_WIDTH = 0.62 * FONT_SIZE  # a generous average for a sans-serif face


def test_the_last_month_label_is_not_cut_at_the_right_edge():
    points = [(dt.date(2026, 1, 1), Decimal(10)), (dt.date(2026, 9, 1), Decimal(5))]
    svg = trend_svg(INSTRUMENTS["phq9"], points, [])
    last = svg.x_ticks[-1]
    assert last.label == "Sep 2026"
    assert last.at + len(last.label) * CHARACTER_WIDTH / 2 <= svg.width


def test_an_injection_label_at_the_right_edge_is_written_leftwards():
    points = [(dt.date(2026, 1, 1), Decimal(10)), (dt.date(2026, 9, 1), Decimal(5))]
    svg = trend_svg(INSTRUMENTS["phq9"], points, [(dt.date(2026, 1, 1), "155 U"), (dt.date(2026, 9, 1), "175 U")])
    assert [marker.label_left for marker in svg.injections] == [False, True]
