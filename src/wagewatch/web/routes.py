"""Every router: the JSON API (mounted under /api/v1) and the pages."""

from __future__ import annotations

from fastapi import APIRouter

from wagewatch.web.admin import api as admin_api
from wagewatch.web.admin import pages as admin_pages
from wagewatch.web.alerts import api as alerts_api
from wagewatch.web.alerts import pages as alerts_pages
from wagewatch.web.audit import api as audit_api
from wagewatch.web.audit import pages as audit_pages
from wagewatch.web.cases import api as cases_api
from wagewatch.web.cases import pages as cases_pages
from wagewatch.web.clusters import api as clusters_api
from wagewatch.web.dashboard import api as dashboard_api
from wagewatch.web.dashboard import pages as dashboard_pages
from wagewatch.web.enterprises import api as enterprises_api
from wagewatch.web.enterprises import pages as enterprises_pages
from wagewatch.web.imports import api as imports_api
from wagewatch.web.imports import pages as imports_pages
from wagewatch.web.reviews import api as reviews_api
from wagewatch.web.reviews import pages as reviews_pages
from wagewatch.web.rules import api as rules_api
from wagewatch.web.rules import pages as rules_pages
from wagewatch.web.session import api as session_api
from wagewatch.web.session import pages as session_pages

__all__ = ["API_ROUTERS", "PAGE_ROUTERS", "api_router", "page_router"]

API_ROUTERS: tuple[APIRouter, ...] = (
    session_api.router,
    dashboard_api.router,
    alerts_api.router,
    cases_api.router,
    clusters_api.router,
    enterprises_api.router,
    imports_api.router,
    reviews_api.router,
    rules_api.router,
    admin_api.router,
    audit_api.router,
)
PAGE_ROUTERS: tuple[APIRouter, ...] = (
    session_pages.router,
    dashboard_pages.router,
    alerts_pages.router,
    cases_pages.router,
    enterprises_pages.router,
    imports_pages.router,
    reviews_pages.router,
    rules_pages.router,
    admin_pages.router,
    audit_pages.router,
)

api_router = APIRouter()
for _router in API_ROUTERS:
    api_router.include_router(_router)

page_router = APIRouter(include_in_schema=False)
for _router in PAGE_ROUTERS:
    page_router.include_router(_router)
