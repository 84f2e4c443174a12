"""Run the web application with uvicorn (`wagewatch serve`)."""

from __future__ import annotations

import uvicorn

from wagewatch.settings import Settings
from wagewatch.web.app import create_app

__all__ = ["serve"]


def serve(host: str = "127.0.0.1", port: int = 8000, settings: Settings | None = None) -> None:
    """Serve the app until interrupted (behind a reverse proxy for https in production)."""
    app = create_app(settings)
    uvicorn.run(
        app,
        host=host,
        port=port,
        proxy_headers=True,
        forwarded_allow_ips="127.0.0.1",
        server_header=False,
        log_level="info",
    )
