"""A filter form's shared behaviour: blank fields are not given, and back to query args."""

from __future__ import annotations

from pydantic import BaseModel, model_validator

__all__ = ["FilterForm"]


class FilterForm(BaseModel):
    """Base of list filters read from an HTML form or a query string."""

    @model_validator(mode="before")
    @classmethod
    def _blank_is_none(cls, data: object) -> object:
        # An HTML form sends every field, empty ones as "": read those as not given.
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if v not in ("", None)}
        return data

    def query_args(self, **changes: object) -> dict[str, str]:
        """The non-empty filter values as query parameters, with `changes` applied."""
        data = self.model_dump(mode="json") | changes
        return {k: str(v) for k, v in data.items() if v not in (None, "")}
