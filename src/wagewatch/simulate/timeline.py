"""The true monthly history of every enterprise, simulated with numpy over all firms at once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import numpy.typing as npt

from wagewatch.simulate.district import INDUSTRIES, Registry

__all__ = [
    "FEE_CATEGORIES",
    "NEVER",
    "Episodes",
    "Plan",
    "Timeline",
    "month_ends",
    "simulate_timeline",
]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

NEVER = 1 << 30  # a month index that never comes
FEE_CATEGORIES = ("tax", "social_insurance", "loan", "water", "electricity", "gas", "telecom")
# Chance that a deteriorating firm falls behind on each bill, and the monthly background rate
# at which a healthy one misses a bill for a month or two.
_FEE_DETERIORATING = np.array([0.75, 0.9, 0.35, 0.45, 0.6, 0.25, 0.3])
_FEE_BACKGROUND = np.array([0.002, 0.003, 0.001, 0.003, 0.004, 0.001, 0.003])
_GAS_USERS = frozenset({"制造业", "餐饮住宿", "纺织服装"})


def month_ends(end: date, months: int) -> list[date]:
    """The last day of each of the `months` months ending with the month of `end`."""
    out = []
    y, m = end.year, end.month
    for _ in range(months):
        nxt = date(y + (m == 12), m % 12 + 1, 1)
        out.append(nxt - timedelta(days=1))
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    return out[::-1]


@dataclass
class Episodes:
    """True wage-arrears episodes; months are window indices (negative: before the window)."""

    ent: IntArray
    start: IntArray  # month whose pay day was the first one missed
    end: IntArray  # month the arrears were settled (NEVER while open)
    end_day: IntArray
    workers: IntArray
    monthly: IntArray  # yuan owed per missed pay day
    stop: IntArray  # first month no more wages accrue (closure, flight), NEVER otherwise
    kind: IntArray  # 0 deterioration, 1 relapse, 2 a minor dispute at a healthy firm

    def __len__(self) -> int:
        return len(self.ent)


@dataclass
class Plan:
    """When each deteriorating enterprise goes through each stage (window month indices)."""

    deteriorating: BoolArray
    stage: IntArray  # 0 healthy, 1 fee arrears only, 2 + wage delays, 3 + wage arrears
    onset: IntArray
    fee_start: IntArray  # (n, 7)
    delay: IntArray  # (n, 2) months with a late payment
    arrears: IntArray  # month of the first missed pay day
    absconded: IntArray
    closed: IntArray
    recovered: IntArray  # month arrears (and fees) were settled
    recovered_day: IntArray
    listed: IntArray  # month put on the 失信 list
    listed_day: IntArray
    delisted: IntArray
    departments: IntArray


@dataclass
class Timeline:
    """Per month end and enterprise: the true facts (arrays shaped (months, n))."""

    ends: list[date]
    plan: Plan
    episodes: Episodes
    wage_months: npt.NDArray[np.int16]
    wage_workers: npt.NDArray[np.int32]
    wage_amount: IntArray
    wage_delay: BoolArray
    fee_months: npt.NDArray[np.int16]  # (months, n, 7)
    fee_amount: IntArray  # (n, 7) monthly bill per category
    group_incident: BoolArray
    closed: BoolArray
    absconded: BoolArray
    blacklisted: BoolArray

    @property
    def months(self) -> int:
        """Number of months simulated."""
        return len(self.ends)


def _plan(reg: Registry, months: int, rate: float, recover: float, g: np.random.Generator) -> Plan:
    n = len(reg)
    risk = np.array([ind.risk for ind in INDUSTRIES])[reg.industry]
    p = np.clip(rate * risk / max(float(risk.mean()), 1e-9), 0.0, 0.95)
    det = g.random(n) < p
    stage = np.where(det, g.choice([1, 2, 3], size=n, p=[0.2, 0.15, 0.65]), 0)
    onset = np.where(det, g.integers(-3, max(months - 1, -2), size=n, endpoint=True), NEVER)

    fee_p = np.tile(_FEE_DETERIORATING, (n, 1))
    gas = np.array([ind.name in _GAS_USERS for ind in INDUSTRIES])[reg.industry]
    fee_p[:, 5] = np.where(gas, 0.45, 0.05)
    takes = (g.random((n, 7)) < fee_p) & det[:, None]
    takes[:, 1] |= det & ~takes.any(axis=1)  # every deteriorating firm owes something
    fee_start = np.where(takes, onset[:, None] + g.integers(0, 3, size=(n, 7)), NEVER)

    first_delay = onset + g.integers(1, 4, size=n)
    delay = np.stack(
        [
            np.where(stage >= 2, first_delay, NEVER),
            np.where((stage >= 2) & (g.random(n) < 0.5), first_delay + 1, NEVER),
        ],
        axis=1,
    )
    arrears = np.where(stage == 3, first_delay + g.integers(1, 3, size=n), NEVER)
    delay = np.where(delay < arrears[:, None], delay, NEVER)
    in_arrears = stage == 3
    absconded = np.where(
        in_arrears & (g.random(n) < 0.18), arrears + g.integers(0, 4, size=n), NEVER
    )
    closed = np.where(in_arrears & (g.random(n) < 0.15), arrears + g.integers(0, 5, size=n), NEVER)
    recover_p = np.where(absconded < NEVER, recover * 0.2, recover)
    settles = g.random(n) < recover_p
    recovered = np.where(
        in_arrears & settles,
        arrears + np.minimum(g.geometric(0.3, size=n), 12),
        np.where(det & ~in_arrears & (g.random(n) < 0.6), onset + g.integers(2, 9, size=n), NEVER),
    )
    # Fees of a firm that settles are paid too; a fee that would start later never starts.
    fee_start = np.where(fee_start < recovered[:, None], fee_start, NEVER)
    recovered_day = g.integers(1, 29, size=n)
    heavy = in_arrears & ((reg.employees >= 10) | (absconded < NEVER))
    listed = np.where(heavy & (g.random(n) < 0.5), arrears + 3 + g.integers(0, 3, size=n), NEVER)
    listed = np.where(listed < recovered, listed, NEVER)
    delisted = np.where(
        (listed < NEVER) & (recovered < NEVER), recovered + g.integers(3, 7, size=n), NEVER
    )
    return Plan(
        deteriorating=det,
        stage=stage.astype(np.int64),
        onset=onset.astype(np.int64),
        fee_start=fee_start.astype(np.int64),
        delay=delay.astype(np.int64),
        arrears=arrears.astype(np.int64),
        absconded=absconded.astype(np.int64),
        closed=closed.astype(np.int64),
        recovered=recovered.astype(np.int64),
        recovered_day=recovered_day.astype(np.int64),
        listed=listed.astype(np.int64),
        listed_day=g.integers(1, 29, size=n).astype(np.int64),
        delisted=delisted.astype(np.int64),
        departments=g.integers(1, 7, size=n).astype(np.int64),
    )


def _owed_workers(employees: IntArray, g: np.random.Generator) -> IntArray:
    lo = np.where(employees < 50, 0.5, np.where(employees < 500, 0.2, 0.03))
    hi = np.where(employees < 50, 1.0, np.where(employees < 500, 0.8, 0.3))
    share = g.uniform(lo, hi)
    return np.maximum(1, np.rint(employees * share)).astype(np.int64)


def _episodes(reg: Registry, plan: Plan, months: int, g: np.random.Generator) -> Episodes:
    n = len(reg)
    idx = np.arange(n)
    owed_share = g.uniform(0.5, 1.0, size=n)
    stop = np.minimum(plan.closed, plan.absconded)

    major = plan.arrears < NEVER
    parts = [
        (
            idx[major],
            plan.arrears[major],
            plan.recovered[major],
            plan.recovered_day[major],
            _owed_workers(reg.employees, g)[major],
            owed_share[major],
            stop[major],
            0,
        )
    ]
    # Some firms that settled fall behind again (反复欠薪).
    again = major & (plan.recovered < NEVER) & (g.random(n) < 0.25)
    relapse_start = plan.recovered + g.integers(2, 7, size=n)
    relapse_end = np.where(g.random(n) < 0.3, relapse_start + g.integers(1, 4, size=n), NEVER)
    parts.append(
        (
            idx[again],
            relapse_start[again],
            relapse_end[again],
            g.integers(1, 29, size=n)[again],
            _owed_workers(reg.employees, g)[again],
            owed_share[again],
            stop[again],
            1,
        )
    )
    # Healthy firms: a few workers owed a month or two, settled after a complaint.
    hit = (g.random((n, months)) < 0.0015) & ~plan.deteriorating[:, None]
    first = np.where(hit.any(axis=1), hit.argmax(axis=1), -1)
    minor = first >= 0
    start = first[minor]
    parts.append(
        (
            idx[minor],
            start,
            start + g.integers(1, 3, size=int(minor.sum())),
            g.integers(1, 29, size=int(minor.sum())),
            np.minimum(reg.employees[minor], g.integers(1, 4, size=int(minor.sum()))),
            np.ones(int(minor.sum())),
            np.full(int(minor.sum()), NEVER),
            2,
        )
    )
    ent = np.concatenate([p[0] for p in parts]).astype(np.int64)
    wage = reg.wage[ent]
    share = np.concatenate([p[5] for p in parts])
    workers = np.concatenate([p[4] for p in parts]).astype(np.int64)
    start = np.concatenate([p[1] for p in parts]).astype(np.int64)
    # Episodes that would begin after the window are not part of this history.
    keep = np.nonzero(start < months)[0]
    order = keep[np.lexsort((start[keep], ent[keep]))]
    return Episodes(
        ent=ent[order],
        start=start[order],
        end=np.concatenate([p[2] for p in parts]).astype(np.int64)[order],
        end_day=np.concatenate([p[3] for p in parts]).astype(np.int64)[order],
        workers=workers[order],
        monthly=(np.rint(workers * wage * share / 10) * 10).astype(np.int64)[order],
        stop=np.concatenate([p[6] for p in parts]).astype(np.int64)[order],
        kind=np.concatenate([np.full(len(p[0]), p[7]) for p in parts]).astype(np.int64)[order],
    )


def simulate_timeline(
    reg: Registry,
    ends: list[date],
    g: np.random.Generator,
    *,
    deteriorate: float = 0.08,
    recover: float = 0.55,
) -> Timeline:
    """Draw each enterprise's path and compute the true facts at every month end."""
    n, months = len(reg), len(ends)
    plan = _plan(reg, months, deteriorate, recover, g)
    eps = _episodes(reg, plan, months, g)

    wage_months = np.zeros((months, n), dtype=np.int16)
    wage_workers = np.zeros((months, n), dtype=np.int32)
    wage_amount = np.zeros((months, n), dtype=np.int64)
    fee_months = np.zeros((months, n, 7), dtype=np.int16)
    group = np.zeros((months, n), dtype=np.bool_)
    delay = np.zeros((months, n), dtype=np.bool_)

    healthy = ~plan.deteriorating
    bill_base = np.array([900, 1100, 2500, 60, 350, 150, 80])
    fee_amount = (
        np.rint(reg.employees[:, None] * bill_base[None, :] * g.uniform(0.6, 1.6, size=(n, 7)) / 10)
        * 10
    ).astype(np.int64)
    remaining = np.zeros((n, 7), dtype=np.int16)
    run = np.zeros((n, 7), dtype=np.int16)
    late = (g.random((months, n)) < 0.01) & (reg.payroll > 0)[None, :] & healthy[None, :]
    crowd_roll = g.random((months, len(eps)))
    for m in range(months):
        active = (eps.start <= m) & (m < eps.end)
        owed = (m - eps.start + 1).astype(np.int16)
        accrued = np.minimum(m + 1, np.maximum(eps.stop, eps.start + 1)) - eps.start
        np.maximum.at(wage_months[m], eps.ent[active], owed[active])
        np.add.at(wage_workers[m], eps.ent[active], eps.workers[active].astype(np.int32))
        np.add.at(wage_amount[m], eps.ent[active], (eps.monthly * accrued)[active])
        gone = np.minimum(eps.stop, NEVER) <= m
        crowd = active & (owed >= 2) & (eps.workers >= 10) & (eps.kind < 2)
        chance = np.where(gone, 0.3, 0.12)
        group[m, eps.ent[crowd & (crowd_roll[m] < chance)]] = True

        new = (g.random((n, 7)) < _FEE_BACKGROUND[None, :]) & (remaining == 0) & healthy[:, None]
        remaining = np.where(new, g.integers(1, 3, size=(n, 7)), remaining).astype(np.int16)
        planned = (plan.fee_start <= m) & (m < plan.recovered[:, None])
        owing = planned | (remaining > 0)
        run = np.where(owing, run + 1, 0).astype(np.int16)
        fee_months[m] = run
        remaining = np.maximum(remaining - 1, 0).astype(np.int16)
        delay[m] = late[m] | (plan.delay == m).any(axis=1)
    # Settling on a day after the pay day is itself a late payment.
    for m in range(months):
        settled = (eps.end == m) & (eps.end_day > reg.payday[eps.ent])
        delay[m, eps.ent[settled]] = True
    # Before the window the months run started earlier: add the months already owed at m = 0.
    before = np.clip(-plan.fee_start, 0, None).astype(np.int16)
    started_before = plan.fee_start < 0
    for m in range(months):
        still = fee_months[m] == m + 1  # owing continuously since the window began
        fee_months[m] = np.where(still & started_before, fee_months[m] + before, fee_months[m])

    month_idx = np.arange(months)[:, None]
    return Timeline(
        ends=ends,
        plan=plan,
        episodes=eps,
        wage_months=wage_months,
        wage_workers=wage_workers,
        wage_amount=wage_amount,
        wage_delay=delay,
        fee_months=fee_months,
        fee_amount=fee_amount,
        group_incident=group,
        closed=month_idx >= plan.closed[None, :],
        absconded=month_idx >= plan.absconded[None, :],
        blacklisted=(month_idx >= plan.listed[None, :]) & (month_idx < plan.delisted[None, :]),
    )
