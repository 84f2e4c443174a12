"""A small district for the web tests: two townships, graded warnings, the demo users."""

from __future__ import annotations

import random
import re
import shutil
import warnings
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from fastapi.routing import APIRoute
from sqlalchemy import select
from sqlalchemy.orm import Session

from wagewatch.alerts.service import evaluate
from wagewatch.auth.models import User
from wagewatch.auth.seed import seed_demo_org
from wagewatch.cases.complaints import ComplaintInput, register_complaint
from wagewatch.cases.inspections import build_inspection_list
from wagewatch.cases.models import Case
from wagewatch.cases.remedies import add_remedy
from wagewatch.cases.service import sync_cases
from wagewatch.db.migrate import upgrade
from wagewatch.db.session import get_engine
from wagewatch.enterprises.models import Enterprise
from wagewatch.enterprises.uscc import make_valid
from wagewatch.rules.registry import get_rulebook
from wagewatch.settings import Settings
from wagewatch.signals.service import import_file
from wagewatch.web.app import API_PREFIX, create_app
from wagewatch.web.context import CSRF_COOKIE
from wagewatch.web.routes import API_ROUTERS, PAGE_ROUTERS

with warnings.catch_warnings():
    # Starlette 1.x prefers httpx2; the project pins httpx 0.28.1, which still works.
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

RNG = random.Random(11)
CODES = [make_valid("91310113", RNG) for _ in range(5)]
EAST, WEST = "东镇", "西镇"
EAST_RED = "东镇宏达建筑劳务有限公司"
EAST_ORANGE = "东镇明珠服装有限公司"
EAST_QUIET = "东镇安宁食品有限公司"
WEST_YELLOW = "西镇鑫源机械制造有限公司"
WEST_RED = "西镇隐秘科技有限公司"
WEST_NAMES = (WEST_YELLOW, WEST_RED)
PHONES = ("13812345678", "13700001111", "13911112222", "13633334444", "13555556666")
COMPLAINANT_PHONE = "13987654321"
ID_NUMBER = "11010519491231002X"

REGISTRY = (
    "统一社会信用代码,企业名称,所属街镇,行业,职工人数,法定代表人,联系电话\n"
    f"{CODES[0]},{EAST_RED},{EAST},建筑业,80,王建国,{PHONES[0]}\n"
    f"{CODES[1]},{EAST_ORANGE},{EAST},纺织服装,25,李明,{PHONES[1]}\n"
    f"{CODES[2]},{WEST_YELLOW},{WEST},制造业,120,赵强,{PHONES[2]}\n"
    f"{CODES[3]},{WEST_RED},{WEST},建筑业,40,钱进,{PHONES[3]}\n"
    f"{CODES[4]},{EAST_QUIET},{EAST},食品制造,15,孙立,{PHONES[4]}\n"
)


def complaints_csv(day: date) -> str:
    """Complaints that grade the registry: red and orange in the east, yellow and red west."""
    d = day.isoformat()
    head = "受理日期,被投诉单位,统一社会信用代码,来源渠道,诉求内容,投诉人,联系电话,身份证号码,欠薪月数,涉及人数\n"
    rows = [
        (EAST_RED, CODES[0], "拖欠27名工人3个月工资", "3", "27"),
        (EAST_ORANGE, CODES[1], "拖欠工资一个半月", "1.5", "3"),
        (WEST_YELLOW, CODES[2], "拖欠半个月工资", "0.5", "2"),
        (WEST_RED, CODES[3], "拖欠15名工人4个月工资", "4", "15"),
    ]
    body = "".join(
        f"{d},{name},{code},12345,{text},张三,{COMPLAINANT_PHONE},{ID_NUMBER},{months},{workers}\n"
        for name, code, text, months, workers in rows
    )
    return head + body


@dataclass
class World:
    """A prepared home folder: settings, the demo users' passwords, enterprise ids by name."""

    settings: Settings
    passwords: dict[str, str]
    ids: dict[str, int] = field(default_factory=dict)
    # ids of ledger records about WEST_RED: case_id, complaint_id, list_id, task_id
    refs: dict[str, int] = field(default_factory=dict)

    def client(self) -> TestClient:
        """A test client on a fresh app for this world."""
        return TestClient(create_app(self.settings), base_url="http://testserver")


def build_world(home: Path, database_url: str | None = None) -> World:
    """Create the database, import the registry and complaints, grade, seed the users."""
    settings = Settings(home=home, rulebook="baoshan", database_url=database_url)
    upgrade(settings.db_url)
    home.mkdir(parents=True, exist_ok=True)
    registry = home / "名录.csv"
    registry.write_text(REGISTRY, encoding="utf-8-sig")
    complaints = home / "投诉.csv"
    complaints.write_text(complaints_csv(date.today() - timedelta(days=2)), encoding="utf-8")
    rb = get_rulebook("baoshan")
    with Session(get_engine(settings.db_url)) as s:
        import_file(s, registry, settings=settings, imported_by="inspector")
        result = import_file(s, complaints, settings=settings, imported_by="inspector")
        assert result.rejected == 0, result.errors
        evaluate(s, rb, date.today(), result.touched)
        credentials = seed_demo_org(s, [EAST, WEST])
        sync_cases(s, rb)
        s.commit()
        ids = {e.name: e.id for e in s.scalars(select(Enterprise))}
        refs = ledger_records(s, settings, ids[WEST_RED])
        s.commit()
    get_engine(settings.db_url).dispose()
    return World(settings, {u: p for u, _, p in credentials}, ids, refs)


def ledger_records(s: Session, settings: Settings, west_id: int) -> dict[str, int]:
    """A complaint about WEST_RED registered at the petition office (首问) and transferred to
    the west township, and a directed inspection list: personal data and scoped records."""
    rb = get_rulebook("baoshan")
    user = s.scalar(select(User).where(User.username == "petition"))
    assert user is not None
    complaint = register_complaint(
        s,
        user,
        rb,
        ComplaintInput(
            received_via="visit",
            enterprise_name=WEST_RED,
            credit_code=CODES[3],
            text="来访反映拖欠工资四个月未发",
            complainant_name="李四光",
            complainant_phone=COMPLAINANT_PHONE,
            complainant_id_number=ID_NUMBER,
            months_owed="4",
            workers="15",
        ),
        date.today(),
        settings=settings,
    )
    inspector = s.scalar(select(User).where(User.username == "inspector"))
    assert inspector is not None
    lst = build_inspection_list(
        s,
        inspector,
        title="投诉企业排查",
        source_office="区信访办",
        condition="wage_complaints_90d >= 1",
        as_of=date.today(),
        settings=settings,
    )
    case = s.scalar(select(Case).where(Case.enterprise_id == west_id))
    assert case is not None and case.tasks
    remedy = add_remedy(
        s,
        inspector,
        case.id,
        None,
        "police_transfer",
        {"document_no": "宝公移〔2026〕1号"},
        document=("移送函.pdf", b"%PDF-1.4 transfer letter"),
        settings=settings,
    )
    return {
        "remedy_id": remedy.id,
        "case_id": case.id,
        "complaint_id": complaint.id,
        "list_id": lst.id,
        "task_id": case.tasks[0].id,
    }


def copy_world(world: World, home: Path) -> World:
    """A copy of a world's database in a new home (lake files stay where they are)."""
    home.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(world.settings.home / "wagewatch.db", home / "wagewatch.db")
    settings = Settings(home=home, rulebook="baoshan")
    return World(settings, dict(world.passwords), dict(world.ids), dict(world.refs))


def csrf(client: TestClient) -> str:
    """The CSRF token of the client (a page is fetched first if it has none)."""
    token = client.cookies.get(CSRF_COOKIE)
    if not token:
        client.get("/login")
        token = client.cookies.get(CSRF_COOKIE)
    assert token
    return token


def login(client: TestClient, username: str, password: str) -> None:
    """Sign in through the form; fails the test unless it succeeds."""
    r = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": csrf(client)},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text


def get_routes() -> list[str]:
    """Every GET path of the API and the pages."""
    paths = []
    for prefix, routers in ((API_PREFIX, API_ROUTERS), ("", PAGE_ROUTERS)):
        for router in routers:
            for route in router.routes:
                if isinstance(route, APIRoute) and "GET" in route.methods:
                    paths.append(prefix + route.path)
    return sorted(set(paths))


def fill_path(
    path: str, enterprise_id: int, batch_id: int, refs: dict[str, int] | None = None
) -> str:
    """A route path with its parameters filled in (ledger ids from `World.refs`)."""
    path = path.replace("{enterprise_id}", str(enterprise_id))
    path = path.replace("{batch_id}", str(batch_id))
    for key, value in (refs or {}).items():
        path = path.replace("{" + key + "}", str(value))
    assert not re.search(r"\{\w+\}", path), f"no test value for a parameter of {path}"
    return path


BAD_DATE = "2024-13-45"


def complaints_with_a_bad_row() -> bytes:
    """Three complaints about the quiet east enterprise; the second has an impossible date."""
    day = (date.today() - timedelta(days=1)).isoformat()
    text = (
        "受理日期,被投诉单位,统一社会信用代码,来源渠道,诉求内容,投诉人,联系电话,欠薪月数,涉及人数\n"
        f"{day},{EAST_QUIET},{CODES[4]},12345,拖欠12名工人工资,李四,13811112222,0.5,12\n"
        f"{BAD_DATE},{EAST_QUIET},{CODES[4]},12333,拖欠工资,王五,13822223333,1,2\n"
        f"{day},{EAST_QUIET},{CODES[4]},网格,再次反映拖欠工资,赵六,13833334444,0.5,12\n"
    )
    return text.encode("gbk")


REVIEW_EAST = "东镇明珠服饰有限公司"  # close to EAST_ORANGE: a candidate, below the threshold
REVIEW_WEST = "西镇隐密科技有限公司"  # close to WEST_RED
REVIEW_NEW = "北镇全新物流有限公司"  # nothing like it in the registry


def add_review_items(world: World) -> dict[str, int]:
    """Import complaints whose enterprises need review; review item ids by written name."""
    from wagewatch.signals.models import ReviewItem

    day = (date.today() - timedelta(days=1)).isoformat()
    path = world.settings.home / "待核对投诉.csv"
    path.write_text(
        "受理日期,被投诉单位,来源渠道,诉求内容,投诉人,联系电话,欠薪月数,涉及人数\n"
        + "".join(
            f"{day},{name},12345,拖欠{n}名工人工资,周七,{COMPLAINANT_PHONE},2,{n}\n"
            for name, n in ((REVIEW_EAST, 12), (REVIEW_WEST, 3), (REVIEW_NEW, 30))
        ),
        encoding="utf-8",
    )
    with Session(get_engine(world.settings.db_url)) as s:
        import_file(s, path, settings=world.settings, imported_by="inspector")
        s.commit()
        items = {i.name: i.id for i in s.scalars(select(ReviewItem)) if i.name}
    get_engine(world.settings.db_url).dispose()
    return items


def cluster_world(world: World) -> World:
    """The world under the 宣恩 cluster rulebook, with group incidents graded by industry.

    建筑业: incidents in both townships, 35 workers (二级); 制造业: one in the west (一级).
    """
    from wagewatch.signals.lake import batch_path, to_table, write_batch
    from wagewatch.signals.models import ImportBatch

    settings = Settings(home=world.settings.home, rulebook="xuanen")
    day = date.today() - timedelta(days=1)
    rows = [
        (world.ids[EAST_RED], "group_incident", 20),
        (world.ids[WEST_RED], "collective_stoppage", 15),
        (world.ids[WEST_YELLOW], "group_incident", 6),
    ]
    with Session(get_engine(settings.db_url)) as s:
        batch = ImportBatch(
            kind="incidents",
            file_name="群体性事件.csv",
            content_hash="cluster-test",
            rows_in=len(rows),
            rows_imported=len(rows),
            rows_rejected=0,
            imported_by="inspector",
        )
        s.add(batch)
        s.flush()
        path = batch_path(settings.home / "lake", "incidents", batch.id)
        table = [
            {
                "batch_id": batch.id,
                "row_no": i + 2,
                "enterprise_id": eid,
                "incident_date": day,
                "incident_type": kind,
                "workers": n,
            }
            for i, (eid, kind, n) in enumerate(rows)
        ]
        write_batch(path, to_table("incidents", table))
        batch.lake_path = str(path)
        evaluate(s, get_rulebook("xuanen"), date.today())
        s.commit()
    get_engine(settings.db_url).dispose()
    return World(settings, dict(world.passwords), dict(world.ids))
