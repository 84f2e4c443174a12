"""Turn the true timeline into the records each office would list, keyed by office and period."""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np

from wagewatch.simulate.district import INDUSTRIES, Registry
from wagewatch.simulate.ids import id_number, person_name, phone
from wagewatch.simulate.text import (
    complaint_text,
    event_description,
    incident_description,
    petition_content,
)
from wagewatch.simulate.timeline import FEE_CATEGORIES, NEVER, Timeline

__all__ = ["Batches", "Record", "build_records", "offices"]


@dataclass(slots=True)
class Record:
    """One row an office lists: the true enterprise (index, -1 for none) and values by column key."""

    ent: int
    values: dict[str, Any]
    truth: dict[str, Any] | None = None  # what a complaint's text states, for truth/complaints.csv


# (office, period) → records; period is "2024-10", "2024Q4" or "all".
Batches = dict[tuple[str, str], list[Record]]

_CHANNELS = (
    ("hotline_12345", "12345热线", 0.35, 0.15),
    ("hotline_12333", "12333热线", 0.20, 0.5),
    ("state_council_platform", "国务院欠薪平台", 0.20, 0.8),
    ("letters_visits", "来信来访", 0.10, 0.3),
    ("grid", "网格中心", 0.10, 0.4),
    ("counter", "劳动保障监察窗口", 0.05, 0.7),
)
_INSURANCE = ("养老、失业、工伤", "养老、医疗", "养老、失业", "养老", "养老、医疗、失业、工伤")
_LAYOFF_REASONS = ("订单减少，生产经营困难", "生产线转移", "企业转型升级", "经营亏损，压缩规模")
_ARBITRATION_OTHER = ("解除劳动合同经济补偿", "工伤保险待遇", "确认劳动关系", "未休年休假工资")
_RESULTS = ("调解", "裁决", "撤诉", "调解")
_INSPECTION_OK = ("工资发放正常", "未发现欠薪问题", "工资按月发放，台账齐全")


def offices(district_name: str) -> dict[str, str]:
    """The office that sends each kind of file (fee lists: one office per category)."""
    d = district_name
    return {
        "enterprises": f"{d}市场监管局",
        "tax": f"{d}税务局",
        "social_insurance": f"{d}社保中心",
        "loan": "农商银行",
        "water": "自来水公司",
        "electricity": "供电公司",
        "gas": "燃气公司",
        "telecom": "电信公司",
        "si_deferrals": f"{d}社保中心",
        "platform": "工资支付监管平台",
        "bank_payroll": "银行代发工资",
        "petitions": f"{d}信访局",
        "inspection": f"{d}劳动保障监察大队",
        "grid": f"{d}网格中心",
        "arbitration": f"{d}劳动人事争议仲裁院",
        "layoffs": f"{d}就业促进中心",
        "market": f"{d}市场监管局",
        "court": f"{d}人民法院",
        "police": f"{d}公安分局",
        "cyber": f"{d}网信办",
        "township": "镇街综治中心",
        "blacklist": f"{d}人社局",
        "credit": f"{d}发改委",
    }


class _Builder:
    """Walks the timeline once per kind; every kind draws from its own random stream."""

    def __init__(self, reg: Registry, tl: Timeline, seed: int) -> None:
        self.reg = reg
        self.tl = tl
        self.seed = seed
        self.ends = tl.ends
        self.months = len(tl.ends)
        first = tl.ends[0]
        self.base = first.year * 12 + first.month - 1
        self.office = offices(reg.district.name)
        self.eps = tl.episodes
        e = tl.episodes
        self.ep = list(
            zip(
                e.ent.tolist(),
                e.start.tolist(),
                e.end.tolist(),
                e.end_day.tolist(),
                e.workers.tolist(),
                e.monthly.tolist(),
                e.stop.tolist(),
                e.kind.tolist(),
                strict=True,
            )
        )
        self.payday = reg.payday.tolist()
        self.absconded = tl.plan.absconded.tolist()
        self.closed = tl.plan.closed.tolist()
        self.complaint_log: list[tuple[int, date, int]] = []  # (ent, date, episode or -1)

    def rng(self, name: str) -> random.Random:
        """A random stream of its own for one kind, so kinds do not shift each other."""
        return random.Random(f"{self.seed}:{name}")

    # --- calendar --------------------------------------------------------------------------

    def day(self, m: int, day: int) -> date:
        """Day `day` of window month m (clamped to the month's length)."""
        end = self._end(m)
        return end.replace(day=min(day, end.day))

    def _end(self, m: int) -> date:
        if 0 <= m < self.months:
            return self.ends[m]
        y, mo = divmod(self.base + m, 12)
        return date(y + (mo == 11), (mo + 1) % 12 + 1, 1) - timedelta(days=1)

    def first(self, m: int) -> date:
        """First day of window month m."""
        y, mo = divmod(self.base + m, 12)
        return date(y, mo + 1, 1)

    def index(self, d: date) -> int:
        """Window month index of a date."""
        return d.year * 12 + d.month - 1 - self.base

    def month_period(self, m: int) -> str:
        """Period label of a monthly file."""
        return self.first(m).strftime("%Y-%m")

    @staticmethod
    def quarter(d: date) -> str:
        """Period label of a quarterly file."""
        return f"{d.year}Q{(d.month - 1) // 3 + 1}"

    def random_day(self, rng: random.Random, m: int, after: int = 0) -> date:
        """A random day of month m, later than day `after`."""
        last = self._end(m).day
        return self.day(m, rng.randint(min(after + 1, last), last))

    @property
    def last_day(self) -> date:
        """The end of the simulated window."""
        return self.ends[-1]

    # --- enterprise columns ----------------------------------------------------------------

    def who(self, i: int, **values: Any) -> dict[str, Any]:
        """Credit code and canonical name of enterprise i, plus other values."""
        reg = self.reg
        out: dict[str, Any] = {
            "credit_code": reg.codes[i] or None,
            "enterprise_name": reg.names[i].canonical,
        }
        out.update(values)
        return out

    def owed_months(self, start: int, on: date, i: int) -> int:
        """Pay days missed from episode start up to a date."""
        m = self.index(on)
        months = m - start + (1 if on.day >= self.payday[i] else 0)
        return max(months, 1)

    def unpaid_months(self, ep: tuple[int, ...], on: date) -> int:
        """Months of wages an episode's workers are owed on a date (none accrue after closure)."""
        i, start, *_rest = ep
        stop = ep[6]
        months = self.owed_months(start, on, i)
        return min(months, max(stop - start, 1)) if stop < NEVER else months

    def owed_amount(self, ep: tuple[int, ...], months: int, workers: int | None = None) -> int:
        """Yuan owed to all (or `workers`) workers of an episode after `months` pay days."""
        _, start, _, _, total, monthly, stop, _ = ep
        accrued = min(months, max(stop - start, 1)) if stop < NEVER else months
        per = monthly * accrued
        if workers is not None and workers < total:
            per = per * workers // total
        return int(round(per, -1))

    # --- kinds ------------------------------------------------------------------------------

    def enterprises(self) -> Batches:
        """The registry as 市场监管局 exports it."""
        reg = self.reg
        rows = [
            Record(
                i,
                self.who(
                    i,
                    township=reg.township_name(i),
                    industry=reg.industry_name(i),
                    employees=int(reg.employees[i]),
                    legal_representative=reg.legal_reps[i],
                    contact_phone=reg.phones[i],
                    address=reg.addresses[i],
                    outsourcing=bool(reg.outsourcing[i]),
                ),
            )
            for i in range(len(reg))
            if reg.in_registry[i]
        ]
        return {(self.office["enterprises"], "all"): rows}

    def fee_arrears(self) -> Batches:
        """Monthly lists of enterprises owing each kind of bill."""
        rng = self.rng("fee_arrears")
        out: Batches = {}
        fm = self.tl.fee_months
        bills = self.tl.fee_amount
        for m in range(self.months):
            month = self.first(m)
            for c, category in enumerate(FEE_CATEGORIES):
                ents = np.nonzero(fm[m, :, c] > 0)[0]
                if not len(ents):
                    continue
                runs = fm[m, ents, c].tolist()
                amounts = (bills[ents, c] * fm[m, ents, c]).tolist()
                rows = out.setdefault((self.office[category], self.month_period(m)), [])
                for i, run, amount in zip(ents.tolist(), runs, amounts, strict=True):
                    cents = rng.choice((0, 0, 0, rng.randint(1, 99)))
                    rows.append(
                        Record(
                            i,
                            self.who(
                                i,
                                category=category,
                                month=month,
                                amount=amount + cents / 100,
                                months_owed=run,
                                township=self.reg.township_name(i),
                            ),
                        )
                    )
        return out

    def si_deferrals(self) -> Batches:
        """Approved social-insurance deferrals (社保缓缴)."""
        rng = self.rng("si_deferrals")
        out: Batches = {}
        plan = self.tl.plan
        candidates: list[tuple[int, int]] = []
        for i in np.nonzero(plan.fee_start[:, 1] < NEVER)[0].tolist():
            if rng.random() < 0.3:
                candidates.append((int(plan.fee_start[i, 1]) + rng.randint(0, 1), i))
        healthy = np.nonzero(~plan.deteriorating)[0].tolist()
        for m in range(self.months):
            for _ in range(_binomial(rng, len(healthy), 0.0015)):
                candidates.append((m, rng.choice(healthy)))
        for m, i in sorted(candidates):
            if not 0 <= m < self.months:
                continue
            approved = self.random_day(rng, m)
            span = rng.randint(3, 6)
            amount = int(self.tl.fee_amount[i, 1]) * span
            out.setdefault((self.office["si_deferrals"], self.quarter(approved)), []).append(
                Record(
                    i,
                    self.who(
                        i,
                        approved_date=approved,
                        start_month=self.first(m),
                        end_month=self.first(m + span - 1),
                        insurance_types=rng.choice(_INSURANCE),
                        amount=amount,
                    ),
                )
            )
        return out

    def _episode_months(self) -> tuple[list[dict[int, int]], list[dict[int, int]]]:
        """Per window month: enterprise → open episode, and enterprise → episode settled then."""
        open_at: list[dict[int, int]] = [{} for _ in range(self.months)]
        settled_at: list[dict[int, int]] = [{} for _ in range(self.months)]
        for k, (i, start, end, *_rest) in enumerate(self.ep):
            for m in range(max(start, 0), min(end, self.months)):
                open_at[m][i] = k
            if 0 <= end < self.months:
                settled_at[end][i] = k
        return open_at, settled_at

    def wage_payments(self) -> Batches:
        """Monthly payroll records of the wage platform (建设领域) and of bank payroll files."""
        rng = self.rng("wage_payments")
        reg = self.reg
        out: Batches = {}
        open_at, settled_at = self._episode_months()
        covered = np.nonzero(reg.payroll > 0)[0].tolist()
        platform = reg.payroll.tolist()
        employees = reg.employees.tolist()
        wage = reg.wage.tolist()
        delay = self.tl.wage_delay
        for m in range(self.months):
            wage_month = self.first(m - 1)
            end = self.ends[m]
            period = self.month_period(m)
            late = set(np.nonzero(delay[m])[0].tolist())
            for i in covered:
                office = self.office["platform" if platform[i] == 1 else "bank_payroll"]
                rows = out.setdefault((office, period), [])
                project = reg.projects[i] or None
                due = self.day(m, self.payday[i])
                k_settled = settled_at[m].get(i)
                if k_settled is not None:
                    ep = self.ep[k_settled]
                    paid_on = self.day(m, ep[3])
                    for k in range(max(ep[1], -2), m):
                        rows.append(
                            Record(
                                i,
                                self.who(
                                    i,
                                    project_name=project,
                                    month=self.first(k - 1),
                                    workers_due=ep[4],
                                    workers_paid=ep[4],
                                    amount_due=ep[5],
                                    amount_paid=ep[5],
                                    due_date=self.day(k, self.payday[i]),
                                    paid_date=paid_on,
                                ),
                            )
                        )
                if m >= self.closed[i] or m >= self.absconded[i]:
                    continue
                k_open = open_at[m].get(i)
                unpaid = self.ep[k_open][4] if k_open is not None else 0
                head = max(unpaid, round(employees[i] * rng.uniform(0.9, 1.0)))
                amount_due = head * wage[i]
                amount_paid = amount_due
                paid: date | None
                if k_open is not None:
                    amount_paid = max(amount_due - self.ep[k_open][5], 0)
                    paid = due if head > unpaid else None
                elif k_settled is not None and self.ep[k_settled][3] > self.payday[i]:
                    paid = self.day(m, self.ep[k_settled][3])
                elif i in late:
                    paid = due + timedelta(days=rng.randint(3, max(3, end.day - due.day)))
                    paid = min(paid, end)
                else:
                    paid = due - timedelta(days=rng.choice((0, 0, 0, 1, 2)))
                rows.append(
                    Record(
                        i,
                        self.who(
                            i,
                            project_name=project,
                            month=wage_month,
                            workers_due=head,
                            workers_paid=head - unpaid,
                            amount_due=amount_due,
                            amount_paid=amount_paid,
                            due_date=due,
                            paid_date=paid,
                        ),
                    )
                )
        return out

    def _complaint(
        self,
        rng: random.Random,
        seq: dict[str, int],
        i: int,
        on: date,
        *,
        workers: int,
        months: int,
        amount: int,
        fled: bool = False,
        group: bool = False,
        extreme: bool = False,
        casualty: bool = False,
        wage: bool = True,
    ) -> tuple[str, Record]:
        reg = self.reg
        weights = [c[2] for c in _CHANNELS]
        channel, office, _, structured = rng.choices(_CHANNELS, weights)[0]
        construction = INDUSTRIES[int(reg.industry[i])].platform
        said = complaint_text(
            rng,
            channel=channel,
            employer=reg.names[i].canonical,
            project=reg.projects[i],
            construction=construction,
            workers=workers,
            months=months,
            amount=amount,
            fled=fled,
            group=group,
            extreme=extreme,
            casualty=casualty,
            wage=wage,
        )
        seq[channel] = seq.get(channel, 0) + 1
        n = seq[channel]
        ticket = {
            "hotline_12345": f"GD{on:%Y%m%d}{n:06d}",
            "hotline_12333": f"12333-{on:%Y%m%d}-{n:04d}",
            "state_council_platform": f"GWYQX{on:%Y%m%d}{n:05d}",
            "letters_visits": f"LXLF{on:%Y%m}{n:04d}",
            "grid": f"WG{on:%Y%m}{n:05d}",
            "counter": f"CK{on:%Y%m%d}{n:03d}",
        }[channel]
        fill = wage and rng.random() < structured
        values = self.who(
            i,
            received_date=on,
            channel=channel,
            ticket_no=ticket,
            text=said.text,
            complainant_name=person_name(rng),
            complainant_phone=phone(rng),
            complainant_id_number=(
                id_number(rng, on)
                if channel in ("state_council_platform", "counter", "letters_visits")
                or rng.random() < 0.1
                else None
            ),
            months_owed=months if fill else None,
            workers=workers if fill else None,
            amount=amount if fill else None,
            township=reg.township_name(i) if rng.random() < 0.5 else None,
        )
        truth = {
            "months_owed": said.months,
            "workers": said.workers,
            "amount_yuan": said.amount,
            "employer_name": said.employer,
            "flags": ",".join(said.flags),
            "is_wage_arrears": said.wage,
        }
        return office, Record(i, values, truth)

    def complaints(self) -> Batches:
        """Tickets from the hotlines, the national platform, letters and visits, grid and counter."""
        rng = self.rng("complaints")
        out: Batches = {}
        seq: dict[str, int] = {}
        tl = self.tl
        for k, ep in enumerate(self.ep):
            i, start, end, _, workers, _, stop, kind = ep
            for m in range(max(start, 0), min(end, self.months)):
                owed = m - start + 1
                if kind == 2:
                    count = 1 if m == max(start, 0) and rng.random() < 0.8 else 0
                else:
                    lam = 0.25 + 0.2 * min(owed, 4) + 0.15 * math.log10(workers + 1)
                    lam *= 1.6 if stop <= m else 1.0
                    # After half a year most workers have gone to arbitration or given up.
                    lam *= 0.4 if owed > 6 else 1.0
                    count = min(_poisson(rng, lam), 4)
                for _ in range(count):
                    on = self.random_day(rng, m, self.payday[i] if m == start else 0)
                    months = self.unpaid_months(ep, on)
                    claim = workers if workers >= 3 and rng.random() < 0.6 else 1
                    if claim == 1 and workers > 1 and rng.random() < 0.3:
                        claim = rng.randint(2, min(workers, 6))
                    big = workers >= 10 and kind < 2
                    office, record = self._complaint(
                        rng,
                        seq,
                        i,
                        on,
                        workers=claim,
                        months=months,
                        amount=self.owed_amount(ep, months, claim),
                        fled=self.absconded[i] <= m and rng.random() < 0.8,
                        group=bool(tl.group_incident[m, i]) or (big and rng.random() < 0.12),
                        extreme=big and rng.random() < 0.05,
                        casualty=big and rng.random() < 0.01,
                    )
                    out.setdefault((office, self.month_period(m)), []).append(record)
                    self.complaint_log.append((i, on, k))
        # Tickets about something other than unpaid wages, or a claim an inspection will not bear out.
        n = len(self.reg)
        for m in range(self.months):
            for _ in range(_binomial(rng, n, 0.0006)):
                i = rng.randrange(n)
                if tl.wage_workers[m, i] > 0:
                    continue
                on = self.random_day(rng, m)
                wage = rng.random() < 0.4
                office, record = self._complaint(
                    rng,
                    seq,
                    i,
                    on,
                    workers=1,
                    months=1,
                    amount=int(self.reg.wage[i]),
                    wage=wage,
                )
                out.setdefault((office, self.month_period(m)), []).append(record)
                if wage:
                    self.complaint_log.append((i, on, -1))
        for rows in out.values():
            rows.sort(key=lambda r: r.values["received_date"])
        return out

    def petitions(self) -> Batches:
        """Petition registrations; a matter not resolved comes back again and again."""
        rng = self.rng("petitions")
        out: Batches = {}
        forms = ("visit", "visit", "letter", "online", "phone")
        n_matter = 0
        for ep in self.ep:
            i, start, end, end_day, workers, _, _, kind = ep
            if kind == 2 or workers < 3 or rng.random() >= 0.35:
                continue
            m = max(start + 1, 0)
            if m >= min(end, self.months):
                continue
            on = self.random_day(rng, m)
            settled = self.day(end, end_day) if end < NEVER else date.max
            n_matter += 1
            key = f"XF{on.year}-{n_matter:04d}"
            for times in range(1, 2 + rng.randint(0, 4)):
                if on > self.last_day or on >= settled:
                    break
                out.setdefault(
                    (self.office["petitions"], self.month_period(self.index(on))), []
                ).append(
                    Record(
                        i,
                        self.who(
                            i,
                            received_date=on,
                            matter_key=key,
                            petition_no=f"XF{on:%Y%m%d}-{rng.randint(1, 99):02d}",
                            form=rng.choice(forms),
                            petitioner_name=person_name(rng),
                            petitioner_phone=phone(rng),
                            persons=rng.randint(1, min(workers, 12)),
                            content=petition_content(
                                rng, self.reg.names[i].canonical, times, workers
                            ),
                        ),
                    )
                )
                on += timedelta(days=rng.randint(10, 45))
        for rows in out.values():
            rows.sort(key=lambda r: r.values["received_date"])
        return out

    def incidents(self) -> Batches:
        """Group incidents, stoppages and what follows them, as police and townships report."""
        rng = self.rng("incidents")
        reg = self.reg
        out: Batches = {}
        tl = self.tl
        ms, ents = np.nonzero(tl.group_incident)
        for m, i in sorted(zip(ms.tolist(), ents.tolist(), strict=True)):
            owed = int(tl.wage_workers[m, i])
            on = self.random_day(rng, m)
            place = reg.projects[i] + "工地" if reg.projects[i] else reg.names[i].canonical
            events = [rng.choice(("group_incident", "group_incident", "collective_stoppage"))]
            for extra, p in (
                ("extreme_protest", 0.15),
                ("public_opinion_hotspot", 0.2),
                ("escalation_signs", 0.15),
                ("casualty_or_major_crime", 0.02),
            ):
                if rng.random() < p:
                    events.append(extra)
            for kind in events:
                crowd = max(10, round(owed * rng.uniform(0.4, 1.0)))
                office = self.office[
                    {
                        "collective_stoppage": "township",
                        "escalation_signs": "township",
                        "public_opinion_hotspot": "cyber",
                    }.get(kind, "police")
                ]
                when = (
                    on
                    if kind in ("group_incident", "collective_stoppage")
                    else min(on + timedelta(days=rng.randint(0, 6)), self.ends[m])
                )
                out.setdefault((office, self.quarter(when)), []).append(
                    Record(
                        i,
                        self.who(
                            i,
                            incident_date=when,
                            incident_type=kind,
                            workers=crowd if kind != "public_opinion_hotspot" else None,
                            leader_instruction=rng.random() < 0.2,
                            township=reg.township_name(i),
                            industry=reg.industry_name(i),
                            source_office=office,
                            description=incident_description(rng, kind, place, crowd),
                        ),
                    )
                )
        for rows in out.values():
            rows.sort(key=lambda r: r.values["incident_date"])
        return out

    def inspections(self) -> Batches:
        """Directed inspections after complaints, settlement checks and routine grid visits."""
        rng = self.rng("inspections")
        reg = self.reg
        out: Batches = {}
        open_at, settled_at = self._episode_months()
        task = 0

        def add(office: str, i: int, on: date, k: int, *, settled_check: bool = False) -> None:
            nonlocal task
            m = self.index(on)
            inside = 0 <= m < self.months
            k_here = open_at[m].get(i, settled_at[m].get(i)) if inside else None
            k_ep = k_here if k_here is not None else (k if k >= 0 else None)
            found, settled = False, False
            months = workers = amount = None
            note = rng.choice(_INSPECTION_OK)
            ep = self.ep[k_ep] if k_ep is not None else None
            began = self.day(ep[1], self.payday[i]) if ep is not None else date.max
            ended = self.day(ep[2], ep[3]) if ep is not None and ep[2] < NEVER else date.max
            if ep is not None and began <= on < ended and (settled_check or rng.random() >= 0.04):
                found = True  # (an inspector misses a few)
                months = self.unpaid_months(ep, on)
                workers = ep[4]
                amount = self.owed_amount(ep, months)
                note = (
                    "负责人失联，已移交执法"
                    if m >= self.absconded[i]
                    else f"企业承认拖欠工资，承诺{self.first(m + 1).month}月底前结清"
                )
            elif ep is not None and on >= ended:
                found, settled = True, True
                months = self.unpaid_months(ep, ended)
                workers = ep[4]
                amount = self.owed_amount(ep, months)
                note = rng.choice(("经协调，企业已足额支付拖欠工资", "工资已结清，工人签字确认"))
            elif inside and self.tl.fee_months[m, i].max() > 1:
                note = "企业欠缴社保，工资正常发放"
            directed = office == self.office["inspection"]
            if directed:
                task += 1
            inspector = person_name(rng) if directed else "网格员" + person_name(rng)
            out.setdefault((office, self.month_period(m)), []).append(
                Record(
                    i,
                    self.who(
                        i,
                        visit_date=on,
                        task_no=f"PC-{on:%Y-%m}-{task:04d}" if directed else None,
                        inspector=inspector,
                        found_arrears=found,
                        months_owed=months,
                        workers=workers,
                        amount=amount,
                        settled=settled if found else None,
                        notes=note,
                    ),
                )
            )

        for i, on, k in self.complaint_log:
            if rng.random() < 0.6:
                visit = on + timedelta(days=rng.randint(5, 20))
                if visit <= self.last_day:
                    add(self.office["inspection"], i, visit, k)
        for k, (i, _start, end, end_day, *_rest) in enumerate(self.ep):
            if not 0 <= end < self.months:
                continue
            if rng.random() < (0.5 if reg.payroll[i] > 0 else 0.9):
                visit = self.day(end, end_day) + timedelta(days=rng.randint(0, 10))
                if visit <= self.last_day:
                    add(self.office["inspection"], i, visit, k, settled_check=True)
        n = len(reg)
        fee = self.tl.fee_months
        for m in range(self.months):
            picks = {rng.randrange(n) for _ in range(_binomial(rng, n, 0.012))}
            picks |= {
                i for i in np.nonzero(fee[m].max(axis=1) >= 2)[0].tolist() if rng.random() < 0.25
            }
            for i in sorted(picks):
                if m >= self.closed[i]:
                    continue
                k = open_at[m].get(i, -1)
                add(self.office["grid"], i, self.random_day(rng, m), k)
        for rows in out.values():
            rows.sort(key=lambda r: r.values["visit_date"])
        return out

    def arbitration(self) -> Batches:
        """Labour arbitration cases: wage claims of owed workers and other disputes."""
        rng = self.rng("arbitration")
        reg = self.reg
        out: Batches = {}
        cases: list[tuple[date, int, dict[str, Any]]] = []
        for ep in self.ep:
            i, start, end, _, workers, _, _, kind = ep
            for m in range(max(start, 0), min(end, self.months)):
                if rng.random() >= (0.12 if kind < 2 else 0.15):
                    continue
                on = self.random_day(rng, m)
                claim = rng.randint(1, min(workers, 10))
                months = self.unpaid_months(ep, on)
                cases.append(
                    (
                        on,
                        i,
                        {
                            "workers": claim,
                            "wage_claim": True,
                            "dispute_type": "追索劳动报酬",
                            "amount": self.owed_amount(ep, months, claim),
                        },
                    )
                )
        n = len(reg)
        for m in range(self.months):
            for _ in range(_binomial(rng, n, 0.0004)):
                cases.append(
                    (
                        self.random_day(rng, m),
                        rng.randrange(n),
                        {
                            "workers": 1,
                            "wage_claim": False,
                            "dispute_type": rng.choice(_ARBITRATION_OTHER),
                            "amount": rng.randint(5, 120) * 1000,
                        },
                    )
                )
        numbers: dict[int, int] = {}
        short = reg.district.short
        for on, i, case in sorted(cases, key=lambda c: (c[0], c[1])):
            numbers[on.year] = numbers.get(on.year, 0) + 1
            closed = on + timedelta(days=rng.randint(25, 75))
            done = closed <= self.last_day and rng.random() < 0.85
            case.update(
                case_no=f"{short}劳人仲案字〔{on.year}〕第{numbers[on.year]}号",
                filed_date=on,
                applicant_name=person_name(rng),
                closed_date=closed if done else None,
                result=rng.choice(_RESULTS) if done else None,
            )
            out.setdefault((self.office["arbitration"], self.quarter(on)), []).append(
                Record(i, self.who(i, **case))
            )
        return out

    def layoffs(self) -> Batches:
        """Reported economic layoffs."""
        rng = self.rng("layoffs")
        reg = self.reg
        plan = self.tl.plan
        out: Batches = {}
        reports: list[tuple[date, int]] = []
        for i in np.nonzero(plan.deteriorating & (reg.employees >= 20))[0].tolist():
            if rng.random() < 0.3:
                m = int(plan.onset[i]) + rng.randint(1, 3)
                if 0 <= m < self.months:
                    reports.append((self.random_day(rng, m), i))
        big = np.nonzero(reg.employees >= 50)[0].tolist()
        for m in range(self.months):
            for _ in range(_binomial(rng, len(big), 0.0008)):
                reports.append((self.random_day(rng, m), rng.choice(big)))
        for on, i in sorted(reports):
            staff = int(reg.employees[i])
            out.setdefault((self.office["layoffs"], self.quarter(on)), []).append(
                Record(
                    i,
                    self.who(
                        i,
                        report_date=on,
                        planned_date=on + timedelta(days=rng.randint(30, 45)),
                        layoff_count=max(1, round(staff * rng.uniform(0.1, 0.4))),
                        employees=staff,
                        reason=rng.choice(_LAYOFF_REASONS),
                    ),
                )
            )
        return out

    def business_events(self) -> Batches:
        """Anomalies from market regulation, courts, police and townships."""
        rng = self.rng("business_events")
        reg = self.reg
        plan = self.tl.plan
        events: list[tuple[date, int, str, date | None]] = []

        def at(m: int, i: int, event: str, ends: int = NEVER) -> None:
            if not 0 <= m < self.months:
                return
            on = self.random_day(rng, m)
            end = self.random_day(rng, ends) if ends < self.months and ends > m else None
            events.append((on, i, event, end))

        for i in np.nonzero(plan.deteriorating)[0].tolist():
            onset, arrears = int(plan.onset[i]), int(plan.arrears[i])
            recovered, closed = int(plan.recovered[i]), int(plan.closed[i])
            absconded = int(plan.absconded[i])
            if rng.random() < 0.35:
                at(onset + 1, i, "production_cut", recovered)
            if rng.random() < 0.3:
                at(onset + 2, i, "abnormal_listing", recovered + 2)
            if rng.random() < 0.25:
                at(onset + rng.randint(0, 3), i, "economic_dispute")
            if rng.random() < 0.1:
                at(onset + rng.randint(1, 3), i, rng.choice(("layoff", "downsizing")))
            if arrears < NEVER:
                if rng.random() < 0.25:
                    at(arrears + rng.randint(0, 1), i, "production_halt", recovered)
                if rng.random() < 0.15:
                    at(arrears + rng.randint(1, 3), i, "asset_seized", recovered + 1)
            if closed < NEVER:
                if rng.random() < 0.6:
                    at(closed - 1, i, "closure_risk")
                at(closed, i, "sudden_closure")
            if absconded < NEVER:
                at(absconded, i, "owner_absconded")
                if rng.random() < 0.1:
                    at(absconded + rng.randint(1, 3), i, "legal_rep_detained")
        # Township surveys note who relies on outsourced labour.
        for i in np.nonzero(reg.outsourcing)[0].tolist():
            if rng.random() < 0.05:
                at(rng.randrange(self.months), i, "outsourcing")
        n = len(reg)
        for m in range(self.months):
            for event, p in (
                ("abnormal_listing", 0.0008),
                ("relocation", 0.0002),
                ("restructuring", 0.0002),
                ("economic_dispute", 0.0003),
            ):
                for _ in range(_binomial(rng, n, p)):
                    i = rng.randrange(n)
                    if plan.deteriorating[i]:
                        continue
                    at(m, i, event, m + rng.randint(1, 6) if rng.random() < 0.5 else NEVER)
        source = {
            "abnormal_listing": "market",
            "relocation": "market",
            "restructuring": "market",
            "asset_seized": "court",
            "economic_dispute": "court",
            "legal_rep_detained": "police",
            "owner_absconded": "township",
            "production_cut": "township",
            "production_halt": "township",
            "closure_risk": "township",
            "sudden_closure": "township",
            "layoff": "township",
            "downsizing": "township",
            "outsourcing": "township",
        }
        out: Batches = {}
        for on, i, event, end in sorted(events, key=lambda e: (e[0], e[1], e[2])):
            office = self.office[source[event]]
            out.setdefault((office, self.quarter(on)), []).append(
                Record(
                    i,
                    self.who(
                        i,
                        event_date=on,
                        event_type=event,
                        end_date=end,
                        source_office=office,
                        description=event_description(rng, event),
                    ),
                )
            )
        return out

    def credit_blacklist(self) -> Batches:
        """The 拖欠农民工工资失信 list, and the credit office's copy of part of it."""
        rng = self.rng("credit_blacklist")
        plan = self.tl.plan
        out: Batches = {}
        # The list is cumulative: it also holds enterprises listed before the window began.
        listed = np.nonzero(plan.listed < self.months)[0].tolist()
        for i in sorted(listed, key=lambda j: (int(plan.listed[j]), j)):
            on = self.day(int(plan.listed[i]), int(plan.listed_day[i]))
            off = int(plan.delisted[i])
            removed = self.random_day(rng, off) if off < self.months else None
            values = self.who(
                i,
                listed_date=on,
                removed_date=removed,
                departments=int(plan.departments[i]),
                list_name="拖欠农民工工资失信联合惩戒对象名单",
                deciding_office=self.office["blacklist"],
            )
            out.setdefault((self.office["blacklist"], "all"), []).append(Record(i, values))
            if rng.random() < 0.6:
                copy = dict(values, deciding_office=self.office["blacklist"])
                out.setdefault((self.office["credit"], "all"), []).append(Record(i, copy))
        return out


def _poisson(rng: random.Random, lam: float) -> int:
    limit, k, p = math.exp(-lam), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def _binomial(rng: random.Random, n: int, p: float) -> int:
    """A binomial draw; the normal approximation keeps large districts fast."""
    mean = n * p
    if mean < 30:
        return _poisson(rng, mean)
    return max(0, round(rng.gauss(mean, math.sqrt(mean * (1 - p)))))


KIND_BUILDERS = (
    "enterprises",
    "fee_arrears",
    "si_deferrals",
    "wage_payments",
    "complaints",
    "business_events",
    "credit_blacklist",
    "incidents",
    "inspections",
    "arbitration",
    "layoffs",
    "petitions",
)


def build_records(reg: Registry, tl: Timeline, seed: int) -> Iterator[tuple[str, Batches]]:
    """Yield (kind, batches) for every kind this simulator knows, complaints before inspections."""
    builder = _Builder(reg, tl, seed)
    order = sorted(KIND_BUILDERS, key=lambda k: k == "inspections")
    for kind in order:
        yield kind, getattr(builder, kind)()
