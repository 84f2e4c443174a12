"""Jinja2 environment, template filters, navigation and the one `render` every page uses."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from starlette.responses import HTMLResponse

from wagewatch.web.common import fmt_datetime, fmt_number, fmt_value
from wagewatch.web.session.schemas import Me

__all__ = ["NAV", "TEMPLATES_DIR", "NavItem", "nav_for", "render", "templates"]

TEMPLATES_DIR = Path(__file__).parent / "templates"
SITE_TITLE = "欠薪预警处置平台"


@dataclass(frozen=True)
class NavItem:
    """One entry of the left navigation, shown when the user holds any of its permissions."""

    key: str
    label: str
    href: str
    icon: str
    permissions: tuple[str, ...] = ()
    scopes: tuple[str, ...] = ()  # data scopes it is shown to (empty: any)


NAV: tuple[NavItem, ...] = (
    NavItem("dashboard", "首页", "/", "speedometer2", ("warnings.read",)),
    NavItem("warnings", "预警列表", "/warnings", "exclamation-triangle", ("warnings.read",)),
    NavItem("cases", "处置台账", "/cases", "journal-text", ("cases.read",)),
    NavItem("tasks", "待办任务", "/tasks", "list-task", ("tasks.complete", "cases.supervise")),
    NavItem("complaints", "投诉登记", "/complaints", "telephone-inbound", ("complaints.create",)),
    NavItem(
        "inspections", "定向排查", "/inspections", "funnel", ("cases.write", "inspections.feedback")
    ),
    NavItem("inbox", "消息", "/inbox", "bell", ("cases.read",)),
    NavItem("imports", "数据导入", "/imports", "cloud-upload", ("imports.create", "warnings.read")),
    # District-wide importers only: see wagewatch.web.reviews.service.
    NavItem("reviews", "待核对", "/reviews", "list-check", ("imports.create",), ("district",)),
    NavItem("rules", "预警规则", "/rules", "book"),
    NavItem("admin", "系统管理", "/admin", "gear", ("users.manage", "org.manage", "roles.assign")),
    NavItem("audit", "审计日志", "/audit", "clock-history", ("audit.read",)),
)


def nav_for(me: Me | None) -> list[NavItem]:
    """The navigation entries the signed-in user may open."""
    if me is None:
        return []
    held = set(me.permissions)
    return [
        n
        for n in NAV
        if (not n.permissions or held.intersection(n.permissions))
        and (not n.scopes or me.scope in n.scopes)
    ]


def _form_label(key: str, form_key: str) -> str:
    from wagewatch.reports.forms import get_form

    try:
        return get_form(form_key).field(key).label
    except KeyError:
        return key


def _json_script(value: Any) -> Markup:
    # For <script type="application/json">: escape what could close the element.
    text = json.dumps(value, ensure_ascii=False, default=str)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
templates.env.filters.update(
    dt=fmt_datetime,
    day=lambda v: fmt_datetime(v, with_time=False) if v is not None else "",
    num=fmt_number,
    val=fmt_value,
    json_script=_json_script,
    form_label=_form_label,
)
templates.env.globals.update(site_title=SITE_TITLE)


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
    active: str | None = None,
) -> HTMLResponse:
    """Render a page with the shared context: user, navigation, CSRF token, active entry."""
    me: Me | None = getattr(request.state, "me", None)
    ctx: dict[str, Any] = {
        "me": me,
        "nav": nav_for(me),
        "active": active,
        "csrf_token": request.state.csrf_token,
    }
    ctx.update(context or {})
    return templates.TemplateResponse(request, template, ctx, status_code=status_code)
