"""The case state machine under random sequences of the service's verbs (文登).

Invariants: the state is always one of STATES; a case is never closed without a resolution
and the 一案多查 record at the moment of closure; every successful change raises the version;
a refused one changes nothing; closure is allowed exactly when the model says the hazard is
cleared; a closed case hit by a new warning-raising complaint reopens.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar

import pytest
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import Engine, create_engine, select
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool

from tests.cases.conftest import T0, World, make_world
from wagewatch.auth.models import User
from wagewatch.cases.complaints import ComplaintInput, register_complaint
from wagewatch.cases.models import Case, CaseEvent
from wagewatch.cases.service import (
    STATES,
    CaseError,
    ClosureCheck,
    StaleCase,
    confirm_closure,
    record_investigation,
    record_resolution,
    reject_closure,
    request_closure,
    start_handling,
    transfer_case,
)
from wagewatch.china import to_china
from wagewatch.rules.model import Rulebook
from wagewatch.rules.registry import get_rulebook
from wagewatch.settings import Settings

ENTERPRISE = "乙精密制造有限公司"  # 东镇, 制造业: the township leads the case


def complain(s: Session, rb: Rulebook, settings_: Settings, workers: str, at: datetime) -> None:
    user = s.scalar(select(User).where(User.username == "township"))
    assert user is not None
    register_complaint(
        s,
        user,
        rb,
        ComplaintInput(
            received_via="visit",
            enterprise_name=ENTERPRISE,
            text=f"{ENTERPRISE}拖欠工资2个月，{workers}人未领到工资",
            months_owed="2",
            workers=workers,
        ),
        to_china(at).date(),
        settings=settings_,
        now=at,
    )
    s.commit()


@dataclass
class Template:
    """A wendeng world with one 一般风险 case (12 workers, 2 months), copied per example."""

    db: sqlite3.Connection
    base: Path
    case_id: int


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Template]:
    base = tmp_path_factory.mktemp("state-machine")
    (base / "template").mkdir()
    worlds = make_world(base / "template", "wendeng")
    w: World = next(worlds)
    complain(w.s, w.rb, w.settings, "12", T0)
    case = w.s.scalar(select(Case))
    assert case is not None and case.level == "general" and case.state == "verifying"
    db = sqlite3.connect(":memory:", check_same_thread=False)
    raw = w.s.get_bind().raw_connection()
    assert raw.driver_connection is not None
    raw.driver_connection.backup(db)
    raw.close()
    case_id = case.id
    next(worlds, None)
    yield Template(db=db, base=base, case_id=case_id)
    db.close()


class CaseMachine(RuleBasedStateMachine):
    template: ClassVar[Template]

    def __init__(self) -> None:
        super().__init__()
        t = self.template

        def connect() -> sqlite3.Connection:
            conn = sqlite3.connect(":memory:", check_same_thread=False)
            t.db.backup(conn)
            return conn

        self.engine: Engine = create_engine("sqlite://", creator=connect, poolclass=StaticPool)
        self.s = Session(self.engine)
        # new signals go to this example's lake; the template's batches stay where they are
        self.home = Path(tempfile.mkdtemp(dir=t.base))
        self.settings = Settings(home=self.home)
        self.rb = get_rulebook("wendeng")
        self.case_id = t.case_id
        self.now = T0
        # the model
        case = self.case()
        self.state = case.state
        self.version = case.version
        self.fires = True  # a live claim of 10–30 workers
        self.resolved = False
        self.investigated = False
        self.complaints = 0
        self.transferred = False
        self.requests = 0
        self.refusals = 0
        self.reopened = case.reopened

    def teardown(self) -> None:
        self.s.close()
        self.engine.dispose()
        shutil.rmtree(self.home, ignore_errors=True)

    # ------------------------------------------------------------ helpers

    def case(self) -> Case:
        case = self.s.get(Case, self.case_id)
        assert case is not None
        return case

    def user(self, username: str) -> User:
        u = self.s.scalar(select(User).where(User.username == username))
        assert u is not None
        return u

    def tick(self) -> datetime:
        # one step a day: a complaint never falls on the day of a payment
        self.now += timedelta(days=1)
        return self.now

    def as_of(self) -> Any:
        return to_china(self.now).date()

    def attempt(self, allowed: bool, verb: Callable[[], object]) -> bool:
        """Run a verb; if refused, nothing changed; if done, the version went up."""
        before = (self.case().state, self.case().version)
        try:
            verb()
        except CaseError as exc:  # every user here holds the permission: never PermissionDenied
            self.s.rollback()
            assert not allowed, f"refused unexpectedly: {exc}"
            assert (self.case().state, self.case().version) == before
            return False
        self.s.commit()
        assert allowed, f"allowed unexpectedly in state {before[0]}"
        assert self.case().version > before[1]
        return True

    def seen(self) -> None:
        case = self.case()
        assert case.version >= self.version
        self.version = case.version
        self.state = case.state

    # ------------------------------------------------------------ verbs

    def _start(self, at: datetime) -> Callable[[], object]:
        town = self.user("township")
        return lambda: start_handling(self.s, town, self.case_id, self.version, "已核实", now=at)

    def _investigate(self, at: datetime, version: int | None = None) -> Callable[[], object]:
        town = self.user("township")
        return lambda: record_investigation(
            self.s,
            town,
            self.case_id,
            self.version if version is None else version,
            arrears_facts="拖欠12人2个月工资",
            liable_party=ENTERPRISE,
            arrears_cause="资金周转困难",
            now=at,
        )

    def _resolve(self, at: datetime, kind: str) -> Callable[[], object]:
        town = self.user("township")
        return lambda: record_resolution(
            self.s,
            town,
            self.case_id,
            self.version,
            kind=kind,
            amount="24000",
            workers="12",
            document_no="威文人社监立〔2026〕7号",
            settings=self.settings,
            now=at,
        )

    def _request(self, at: datetime) -> Callable[[], object]:
        town = self.user("township")
        return lambda: request_closure(
            self.s, town, self.rb, self.case_id, self.version, self.as_of(), now=at
        )

    def _confirm(self, at: datetime) -> Callable[[], object]:
        leader = self.user("leader")
        return lambda: confirm_closure(
            self.s, leader, self.rb, self.case_id, self.version, self.as_of(), now=at
        )

    def _reject(self, at: datetime) -> Callable[[], object]:
        leader = self.user("leader")
        return lambda: reject_closure(
            self.s, leader, self.case_id, self.version, "凭证不全", now=at
        )

    def _transfer(self, at: datetime) -> Callable[[], object]:
        insp = self.user("inspector")
        return lambda: transfer_case(
            self.s,
            insp,
            self.case_id,
            self.version,
            target="police",
            document_no="威文公移〔2026〕3号",
            now=at,
        )

    @precondition(lambda self: self.state == "verifying")
    @rule()
    def start(self) -> None:
        assert self.attempt(True, self._start(self.tick()))
        assert self.case().state == "handling"
        self.seen()

    @precondition(lambda self: self.state != "closed" and not self.investigated)
    @rule()
    def investigate(self) -> None:
        assert self.attempt(True, self._investigate(self.tick()))
        self.investigated = True
        self.seen()

    @precondition(lambda self: self.state != "closed" and (self.fires or not self.resolved))
    @rule(kind=st.sampled_from(["wages_paid", "wages_paid", "filed"]))
    def resolve(self, kind: str) -> None:
        assert self.attempt(True, self._resolve(self.tick(), kind))
        self.resolved = True
        if kind == "wages_paid":
            self.fires = False  # a settled payment clears every claim before it
        resolution = self.case().resolution
        assert resolution is not None and resolution["kind"] == kind
        self.seen()

    @precondition(
        lambda self: (
            self.state in ("handling", "transferred") and self.resolved and self.requests < 2
        )
    )
    @rule()
    def request(self) -> None:
        self.requests += 1
        before = self.case().version
        check = self._request(self.tick())()
        self.s.commit()
        assert isinstance(check, ClosureCheck)
        expected = self.resolved and self.investigated and not self.fires
        assert check.ok == expected, check.problems
        event(f"request ok={check.ok}")
        case = self.case()
        if check.ok:
            assert case.state == "closure_requested" and case.version > before
        else:
            assert case.state == self.state
            last = self.s.scalar(
                select(CaseEvent)
                .where(CaseEvent.case_id == self.case_id)
                .order_by(CaseEvent.id.desc())
            )
            assert last is not None and last.kind == "closure_refused"
        self.seen()

    @precondition(lambda self: self.state == "closure_requested")
    @rule()
    def confirm(self) -> None:
        before = self.case()
        snapshot = (before.resolution, before.arrears_facts, before.version)
        check = self._confirm(self.tick())()
        self.s.commit()
        assert isinstance(check, ClosureCheck)
        expected = self.resolved and self.investigated and not self.fires
        assert check.ok == expected, check.problems
        event(f"confirm ok={check.ok}")
        case = self.case()
        assert case.version > snapshot[2]
        if check.ok:
            assert case.state == "closed" and case.closed_at is not None
            # at the moment of closure: a resolution and the 一案多查 record
            assert snapshot[0] is not None and snapshot[1]
            assert all(t.status != "open" for t in case.tasks)
        else:
            assert case.state == "handling"
        self.seen()

    @precondition(lambda self: self.state == "closure_requested")
    @rule()
    def reject(self) -> None:
        assert self.attempt(True, self._reject(self.tick()))
        assert self.case().state == "handling"
        self.seen()

    @precondition(lambda self: self.state in ("verifying", "handling") and not self.transferred)
    @rule()
    def transfer(self) -> None:
        assert self.attempt(True, self._transfer(self.tick()))
        assert self.case().state == "transferred"
        self.transferred = True
        self.seen()

    # (always possible where no other verb may be: no dead end)
    @precondition(
        lambda self: self.refusals < 2 or self.state in ("handling", "transferred", "closed")
    )
    @rule(data=st.data())
    def refused(self, data: st.DataObject) -> None:
        """A verb the state does not allow, or a stale version: refused, nothing changed."""
        self.refusals += 1
        at = self.tick()
        forbidden: dict[str, Callable[[], object]] = {
            "stale": self._investigate(at, version=self.version - 1)
        }
        if self.state != "verifying":
            forbidden["start"] = self._start(at)
        if self.state not in ("handling", "transferred"):
            forbidden["request"] = self._request(at)
        if self.state != "closure_requested":
            forbidden["confirm"] = self._confirm(at)
            forbidden["reject"] = self._reject(at)
        if self.state not in ("verifying", "handling"):
            forbidden["transfer"] = self._transfer(at)
        if self.state == "closed":
            forbidden["investigate"] = self._investigate(at)
            forbidden["resolve"] = self._resolve(at, "filed")
        verb = data.draw(st.sampled_from(sorted(forbidden)), label="verb")
        if verb == "stale":
            with pytest.raises(StaleCase, match="已被他人修改"):
                forbidden[verb]()
            self.s.rollback()
        else:
            assert not self.attempt(False, forbidden[verb])
        self.seen()

    # at the moments that matter: while closure waits for confirmation, and after it
    @precondition(
        lambda self: self.complaints < 1 and self.state in ("closure_requested", "closed")
    )
    @rule(workers=st.sampled_from(["3", "12", "12"]))
    def new_complaint(self, workers: str) -> None:
        at = self.tick()
        self.complaints += 1
        was = self.state
        complain(self.s, self.rb, self.settings, workers, at)
        raising = workers == "12"
        self.fires |= raising
        case = self.case()
        if was == "closed" and raising:
            # 销号后出现新的预警信号: the case reopens, its resolution to be recorded again
            assert case.state == "handling"
            assert case.reopened == self.reopened + 1
            assert case.resolution is None and case.closed_at is None
            self.reopened += 1
            self.resolved = False
            event("reopened")
        else:
            assert case.state == was
            assert case.reopened == self.reopened
        if self.fires:
            assert case.level == "general"
        self.seen()

    # ------------------------------------------------------------ invariants

    @invariant()
    def state_is_known(self) -> None:
        case = self.case()
        assert case.state in STATES
        assert case.state == self.state
        assert case.version == self.version

    @invariant()
    def closed_only_with_resolution_and_record(self) -> None:
        case = self.case()
        if case.state != "closed":
            return
        assert case.resolution is not None
        assert case.arrears_facts and case.liable_party and case.arrears_cause
        events = list(
            self.s.scalars(
                select(CaseEvent).where(CaseEvent.case_id == self.case_id).order_by(CaseEvent.id)
            )
        )
        kinds = [e.kind for e in events]
        assert kinds[-1] == "closure_confirmed", kinds
        # a resolution recorded since the case last reopened, before this closure
        last_reopen = max((i for i, k in enumerate(kinds) if k == "reopened"), default=-1)
        assert "resolution" in kinds[last_reopen + 1 :], kinds
        assert "investigation" in kinds, kinds


MACHINE_SETTINGS = settings(
    max_examples=15,
    stateful_step_count=10,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def test_case_state_machine(template: Template) -> None:
    CaseMachine.template = template
    run_state_machine_as_test(CaseMachine, settings=MACHINE_SETTINGS)
