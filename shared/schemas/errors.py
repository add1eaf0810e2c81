"""The one body of every error the API answers (4xx and 5xx)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class ErrorOut(BaseModel):
    """What went wrong and how to fix it, a code a program can branch on, and the field at fault."""

    detail: str = Field(description="what is wrong and how to fix it")
    code: str = Field(description="machine-readable, e.g. invalid_input, not_found, conflict")
    field: str | None = Field(None, description="the request field at fault, when there is one")
