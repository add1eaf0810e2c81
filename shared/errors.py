"""Typed errors raised deep down and mapped to HTTP once, in shared.web.errors.

Each class says what the caller should do: fix the input (4xx), retry later (503), or report.
"""

from __future__ import annotations


class AppError(Exception):
    """Base of every error the platform reports to users."""

    status_code = 500
    code = "internal_error"
    headers: dict[str, str] = {}

    def __init__(self, detail: str, *, field: str | None = None, code: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field
        if code:
            self.code = code

    def to_dict(self) -> dict[str, str]:
        body = {"detail": self.detail, "code": self.code}
        if self.field:
            body["field"] = self.field
        return body


class ValidationError(AppError):
    """The request is malformed: fix the named field."""

    status_code = 422
    code = "invalid_input"


class DataError(ValidationError):
    """Market data is unusable (bad bars, malformed file): fix or re-download it."""

    code = "bad_data"


class BadRequest(AppError):
    """The request is not one this service takes at all (e.g. sent to a host name not its own)."""

    status_code = 400
    code = "bad_request"


class NotFound(AppError):
    """The id or name does not exist."""

    status_code = 404
    code = "not_found"


class Conflict(AppError):
    """The request clashes with current state (e.g. an idempotency key reused with other params)."""

    status_code = 409
    code = "conflict"


class PayloadTooLarge(AppError):
    status_code = 413
    code = "too_large"


class Unauthorized(AppError):
    status_code = 401
    code = "unauthorized"


class Forbidden(AppError):
    """Authenticated or not, this request may not do this here."""

    status_code = 403
    code = "forbidden"


class TooManyRequests(AppError):
    """Slow down: retry after the time the response's Retry-After header gives."""

    status_code = 429
    code = "rate_limited"

    def __init__(self, detail: str, *, retry_after: int, field: str | None = None) -> None:
        super().__init__(detail, field=field)
        self.headers = {"Retry-After": str(retry_after)}


class Unavailable(AppError):
    """A dependency (network source, service, worker) is down: retry later."""

    status_code = 503
    code = "unavailable"


class UpstreamError(AppError):
    """A service behind the gateway answered badly."""

    status_code = 502
    code = "bad_gateway"


class JobCancelled(Exception):
    """Raised inside a running job when its cancellation was requested; not an error."""
