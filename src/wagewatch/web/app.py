"""Application assembly: settings, sessions, middleware, error pages, pages and the JSON API."""

from __future__ import annotations

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles

from wagewatch.db.session import sessionmaker_for
from wagewatch.notify.service import configure_channels
from wagewatch.rules.registry import get_rulebook
from wagewatch.settings import Settings, get_settings
from wagewatch.web.assets import VENDOR_DIR, check_assets
from wagewatch.web.background import deadline_clock
from wagewatch.web.context import WebState, csrf_protect
from wagewatch.web.errors import install_error_handlers
from wagewatch.web.routes import api_router, page_router
from wagewatch.web.security import SecurityMiddleware

__all__ = ["API_PREFIX", "STATIC_DIR", "create_app"]

API_PREFIX = "/api/v1"
STATIC_DIR = VENDOR_DIR.parent


def create_app(settings: Settings | None = None) -> FastAPI:
    """The web application for these settings (default: the process settings).

    Raises AssetsMissing, with the commands that fix it, when the front-end assets have not
    been built, and the rulebook's error when the configured rulebook cannot be loaded.
    """
    check_assets()
    settings = settings or get_settings()
    get_rulebook(settings.rulebook)  # fail fast on an unknown or broken rulebook
    configure_channels()  # fail fast on a bad WAGEWATCH_SMTP_* / WAGEWATCH_WEBHOOK_* value
    app = FastAPI(
        title="欠薪预警处置平台 API",
        version="1",
        description="欠薪预警处置平台的 JSON 接口：与页面相同的权限、管辖范围和个人信息脱敏。",
        openapi_url=f"{API_PREFIX}/openapi.json",
        # The interactive docs load their scripts from a CDN: not here.
        docs_url=None,
        redoc_url=None,
        # Every state-changing request, page or API, needs the CSRF token.
        dependencies=[Depends(csrf_protect)],
        lifespan=deadline_clock,
    )
    app.state.web = WebState(settings=settings, sessions=sessionmaker_for(settings.db_url))
    app.add_middleware(SecurityMiddleware)
    install_error_handlers(app)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(api_router, prefix=API_PREFIX)
    app.include_router(page_router)
    return app
