"""Run the web application with uvicorn (`wagewatch serve`)."""

from __future__ import annotations

import uvicorn

from wagewatch.settings import Settings
from wagewatch.web.app import create_app

__all__ = ["serve"]


def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    settings: Settings | None = None,
    workers: int = 1,
) -> None:
    """Serve the app until interrupted (behind a reverse proxy for https in production).

    With several workers each process builds the app from the environment (WAGEWATCH_*).
    """
    if workers > 1:
        uvicorn.run(
            "wagewatch.web.app:create_app",
            factory=True,
            workers=workers,
            host=host,
            port=port,
            proxy_headers=True,
            forwarded_allow_ips="127.0.0.1",
            server_header=False,
            log_level="info",
        )
        return
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
