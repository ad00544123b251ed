"""What a fuzzed form receives: values a person, a browser, or someone probing the site might send.

The same pool feeds the hypothesis tests (as strategies) and the fuzz command (drawn with a seeded
``random.Random``), so that both walk the same kinds of input.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from hypothesis import strategies as st

NASTY = (
    "", " ", "0", "-1", "1", "2", "00", "1.5", "-0.01", "0.001", "1e3", "1e309", "-1e309", "NaN", "nan",
    "Infinity", "-inf", "99999999999999999999999", "2147483648", "-9223372036854775809", "１２", "٣", "1_000",
    "9999-12-31", "0001-01-01", "1899-12-31", "1900-01-01", "2026-02-30", "10000-01-01", "2026-13-01",
    "9999-12-31T23:59", "0001-01-01T00:00", "9999-12-31 23:59:59", "0001-01-01 00:00", "00:00", "23:59", "24:00",
    "25:61", "12:00:00.999999", "true", "false", "on", "None", "null", "[]", "{}", "email", "scheduling:day",
    "/", "//evil.example", "https://evil.example/", "javascript:alert(1)", "\x00", "\r\n", "\t=1+1",
    "=cmd|' /C calc'!A0", "<script>alert(1)</script>", "' OR '1'='1", "%00", "../../etc/passwd", "A" * 1000,
    "é" * 300, "😀", "\u202e", "STOP", "C", "stop please", "left", "right", "bilateral",
)
# A browser cannot send a lone surrogate (it is not encodable), so neither do we.
_TEXT_CHARACTERS = st.characters(exclude_categories=("Cs",))


def _iso_minutes(value: dt.datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M")


junk = st.one_of(
    st.sampled_from(NASTY),
    st.text(_TEXT_CHARACTERS, max_size=60),
    st.integers().map(str),
    st.integers(min_value=-5, max_value=500).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.dates().map(dt.date.isoformat),
    st.datetimes().map(_iso_minutes),
)


def random_junk(rng: random.Random) -> str:
    """One value, drawn the way ``junk`` draws it."""
    kind = rng.randrange(7)
    if kind == 0:
        return rng.choice(NASTY)
    if kind == 1:
        return "".join(_random_character(rng) for _ in range(rng.randrange(60)))
    if kind == 2:
        return str(rng.randint(-(10 ** rng.randrange(1, 30)), 10 ** rng.randrange(1, 30)))
    if kind == 3:
        return str(rng.randint(-5, 500))
    if kind == 4:
        return str(rng.choice([rng.uniform(-1e6, 1e6), rng.uniform(-1, 1), 1e308 * rng.choice([1, 10]), -0.0]))
    day = dt.date.fromordinal(rng.randint(1, dt.date.max.toordinal()))
    if kind == 5:
        return day.isoformat()
    return _iso_minutes(dt.datetime.combine(day, dt.time(rng.randrange(24), rng.randrange(60))))


def _random_character(rng: random.Random) -> str:
    while True:
        code = rng.choice([rng.randrange(32, 127), rng.randrange(0, 0x3000), rng.randrange(0x10000, 0x1FAFF)])
        if not 0xD800 <= code <= 0xDFFF:
            return chr(code)


def random_mutation(rng: random.Random, data: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    """``data`` with a few fields (sometimes all) replaced by junk, repeated, or left out."""
    data = dict(data)
    names = list(fields) + ["unexpected"]
    for name in rng.sample(names, k=min(len(names), rng.choice([1, 1, 1, 2, 3, len(names)]))):
        roll = rng.random()
        if roll < 0.15:
            data.pop(name, None)
        elif roll < 0.25:
            data[name] = [random_junk(rng), random_junk(rng)]
        else:
            data[name] = random_junk(rng)
    return data


@st.composite
def mutation(draw, data: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    """``data`` with a drawn set of fields replaced by junk, repeated, or left out (hypothesis)."""
    data = dict(data)
    for name in draw(st.sets(st.sampled_from([*fields, "unexpected"]), min_size=1)):
        change = draw(st.sampled_from(["junk", "junk", "junk", "leave out", "repeat"]))
        if change == "leave out":
            data.pop(name, None)
        elif change == "repeat":
            data[name] = [draw(junk), draw(junk)]
        else:
            data[name] = draw(junk)
    return data
