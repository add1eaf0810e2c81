"""Periods per year read from bar timestamps: the median spacing and the trading calendar.

Bars are grouped into sessions rather than calendar dates: a session starts after the
longest daily pause (the largest gap between the times of day bars occur at), so a session
that crosses midnight, such as the US day session in a UTC index, counts as one day on the
weekday it opened. Whether weekends trade is judged by sessions per calendar week (>= 6:
365 days a year, else 252), so a few stray weekend bars do not change the answer.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from numba import njit

I64 = npt.NDArray[np.int64]

DAY_NS = 86_400 * 10**9
HOUR_NS = 3_600 * 10**9
TRADING_DAYS = 252.0
CALENDAR_DAYS = 365.0
# sessions per calendar week from which weekends count as trading days (between 5 and 7)
WEEKEND_TRADING_FROM = 6.0
# the longest bar spacing (in days) of each cadence, and its periods per year (None: daily)
_CADENCES = ((4, 0.0), (10, 52.0), (40, 12.0), (120, 4.0))


@njit(cache=True)
def _session_start_nb(wall_ns: I64) -> int:
    """Time of day (ns) at which sessions start: just after the longest daily pause."""
    tod = np.unique(wall_ns % DAY_NS)
    best_gap = tod[0] + DAY_NS - tod[-1]  # the pause across midnight
    start = tod[0]
    for i in range(tod.shape[0] - 1):
        gap = tod[i + 1] - tod[i]
        if gap > best_gap:
            best_gap = gap
            start = tod[i + 1]
    return int(start)


@njit(cache=True)
def _days_per_year_nb(session_day: I64) -> float:
    """252 or 365 from the session days (days since 1970-01-01, ascending, repeats allowed)."""
    n_sessions = 1
    weekend = False
    for i in range(session_day.shape[0]):
        if i > 0 and session_day[i] != session_day[i - 1]:
            n_sessions += 1
        weekend |= (session_day[i] + 3) % 7 >= 5  # 1970-01-01 was a Thursday
    span = session_day[-1] - session_day[0] + 1
    if span < 7:  # less than a week seen: only the weekdays present can tell
        return CALENDAR_DAYS if weekend else TRADING_DAYS
    per_week = n_sessions * 7.0 / span
    return CALENDAR_DAYS if per_week >= WEEKEND_TRADING_FROM else TRADING_DAYS


@njit(cache=True)
def _bars_per_session_nb(session_day: I64) -> float:
    """Median number of bars per session."""
    counts = np.empty(session_day.shape[0], dtype=np.int64)
    n = 0
    run = 1
    for i in range(1, session_day.shape[0] + 1):
        if i < session_day.shape[0] and session_day[i] == session_day[i - 1]:
            run += 1
            continue
        counts[n] = run
        n += 1
        run = 1
    return float(np.median(counts[:n]))


@njit(cache=True)
def clock_nb(wall_ns: I64) -> tuple[float, float, float]:
    """(median bar spacing in ns, 252 or 365 days a year, median bars per session)."""
    step = np.median(np.diff(wall_ns))
    session_day = (wall_ns - _session_start_nb(wall_ns)) // DAY_NS
    return step, _days_per_year_nb(session_day), _bars_per_session_nb(session_day)


def periods_per_year_from_ns(wall_ns: I64) -> float:
    """Periods per year of ascending wall-clock timestamps in ns (at least two)."""
    step, days_per_year, bars_per_session = clock_nb(wall_ns)
    if step < 20 * HOUR_NS:  # intraday: bars per session x sessions per year
        return days_per_year * bars_per_session
    for most, per_year in _CADENCES:
        if step <= most * DAY_NS:
            return per_year or days_per_year
    return 1.0
