"""The base of every request body."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class RequestModel(BaseModel):
    """A request's fields: NaN and infinities are refused wherever a number is expected
    (Python's JSON reader accepts them; no engine, database or grid can use them)."""

    model_config = ConfigDict(allow_inf_nan=False)
