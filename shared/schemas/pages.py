"""The two shapes of a list in the API: a whole catalogue, or one page of a longer list."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, Field

T = TypeVar("T")


class Listing(BaseModel, Generic[T]):
    """Every item of a short catalogue (sources, strategies) and how many there are."""

    items: list[T]
    total: int = Field(ge=0)


class Page(Listing[T], Generic[T]):
    """One page of a longer list: `total` counts every item, `limit` and `offset` place the page."""

    limit: int = Field(ge=1)
    offset: int = Field(ge=0)
