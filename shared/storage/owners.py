"""Whose rows a query returns: every row, or one user's and those with no owner."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, or_

S = TypeVar("S", bound=Select)


@dataclass(frozen=True)
class OwnerScope:
    """`user` None: every row. Otherwise the rows `user` owns, and the ownerless (made by the
    platform or before accounts), which everyone may read."""

    user: str | None = None

    def sees(self, owner: str | None) -> bool:
        return self.user is None or owner is None or owner == self.user

    def clause(self, column: Any) -> ColumnElement[bool] | None:
        """A WHERE condition on an owner column, or None when every row is visible."""
        if self.user is None:
            return None
        return or_(column.is_(None), column == self.user)


EVERYONE = OwnerScope()


def scoped(query: S, scope: OwnerScope, column: Any) -> S:
    """`query` restricted to the rows `scope` sees by the owner `column`."""
    condition = scope.clause(column)
    return query if condition is None else query.where(condition)
