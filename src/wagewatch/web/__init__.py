"""The Chinese web application: FastAPI assembly, JSON API under /api/v1, Jinja2 + htmx pages.

`wagewatch.web.app.create_app` builds the application; `wagewatch.web.server.serve` runs it.
This package imports nothing at import time, so `python -m wagewatch.web.assets` stays light.
"""

__all__: list[str] = []
