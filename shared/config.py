"""Settings read once at the edges (app factories, worker start-up); everything below takes values."""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from shared.hosts import allowed_host_entry, allowed_origin_entry, comma_list, host_name

LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}
WILDCARD_BINDS = {"", "0.0.0.0", "::", "*"}  # bind addresses that name no host


def is_loopback(host: str) -> bool:
    """True when `host` only accepts connections from this machine."""
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Settings(BaseSettings):
    """Every setting of the platform; each maps to an environment variable of the same name."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", case_sensitive=False)

    var_dir: Path = Field(
        Path("var"), description="Root of local state (database, artifacts, logs)."
    )
    database_url: str = Field("", description="SQLAlchemy URL; default: SQLite file in VAR_DIR.")
    redis_url: str = Field(
        "redis://127.0.0.1:6390/0", description="Broker, results, progress, cache."
    )
    artifact_dir: Path | None = Field(
        None, description="Model artifact store; default VAR_DIR/artifacts."
    )
    data_dir: Path | None = Field(None, description="Uploads and bar cache; default VAR_DIR/data.")
    log_dir: Path | None = Field(None, description="Process log files; default VAR_DIR/log.")
    log_level: str = "INFO"

    gateway_host: str = "127.0.0.1"
    gateway_port: int = 8000
    trainer_url: str = "http://127.0.0.1:8001"
    simulator_url: str = "http://127.0.0.1:8002"
    service_timeout_s: float = Field(30.0, gt=0, description="Gateway to service HTTP timeout.")
    api_key: SecretStr | None = Field(
        None, description="A key from the environment that acts as an admin (X-API-Key)."
    )
    accounts: bool = Field(
        False,
        description="Users, sign-in and per-user API keys; every API call then needs one. "
        "Required for any bind other than loopback.",
    )
    session_ttl_s: int = Field(
        12 * 3600, gt=0, description="How long a dashboard sign-in lasts without being renewed."
    )
    cookie_secure: bool = Field(
        False, description="Send the session cookie over HTTPS only (set it behind TLS)."
    )
    rate_limit_writes: str = Field(
        "120/minute", description="Writes one user, key or address may send (limits syntax)."
    )
    rate_limit_sign_in: str = Field(
        "10/minute", description="Sign-in attempts per user name and address."
    )
    # NoDecode: the environment gives these comma-separated, not as JSON.
    allowed_hosts: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Host names answered besides loopback and GATEWAY_HOST; '*' for any.",
    )
    allowed_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Other origins (scheme://host[:port]) whose pages may send writes.",
    )

    job_heartbeat_interval_s: float = Field(5.0, gt=0)
    job_heartbeat_timeout_s: float = Field(
        60.0, gt=0, description="A running job silent this long is dead; it is queued again."
    )
    job_max_attempts: int = Field(
        3, ge=1, description="Attempts (runs on a worker) before a job is failed for good."
    )
    job_lost_after_s: float = Field(
        30.0, gt=0, description="A queued job whose task the broker lost is re-sent after this."
    )
    watchdog_interval_s: float = Field(10.0, gt=0)
    # Only a backstop: the watchdog queues a dead worker's job again after the heartbeat timeout,
    # and a worker ignores a delivery of a job alive elsewhere, so a redelivery is harmless.
    broker_visibility_timeout_s: int = Field(
        3600, gt=0, description="The broker redelivers a task unacknowledged this long."
    )

    max_upload_bytes: int = Field(50 * 1024 * 1024, gt=0)
    max_upload_rows: int = Field(1_000_000, gt=0, description="Most data rows in an uploaded file.")
    max_upload_columns: int = Field(64, gt=0, description="Most columns in an uploaded file.")
    max_upload_decoded_bytes: int = Field(
        256 * 2**20, gt=0, description="Largest size an uploaded file may decode to."
    )
    max_page_size: int = Field(200, gt=0)
    max_sweep_combinations: int = Field(1_000_000, gt=0, description="Largest parameter grid.")
    max_study_trials: int = Field(200, gt=0, description="Most trials one RL study may run.")
    max_stress_scenarios: int = Field(10_000, gt=0, description="Most Monte Carlo paths per test.")
    bars_cache_ttl_s: int = Field(24 * 3600, gt=0, description="Redis copy of cached bars.")
    yfinance_max_retries: int = Field(3, ge=0)

    @field_validator("api_key", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        # `API_KEY=` in an environment or .env file means no key, never an empty one.
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("allowed_hosts", "allowed_origins", mode="before")
    @classmethod
    def _split_commas(cls, value: object) -> object:
        return comma_list(value)

    @field_validator("allowed_hosts")
    @classmethod
    def _host_names(cls, entries: list[str]) -> list[str]:
        return [allowed_host_entry(entry) for entry in entries]

    @field_validator("allowed_origins")
    @classmethod
    def _origins(cls, entries: list[str]) -> list[str]:
        return [allowed_origin_entry(entry) for entry in entries]

    @model_validator(mode="after")
    def _refuse_unsafe(self) -> Settings:
        if not is_loopback(self.gateway_host) and not self.accounts:
            raise ValueError(
                f"GATEWAY_HOST={self.gateway_host} is reachable from other machines: "
                "set ACCOUNTS=true (then create an admin: python scripts/accounts.py "
                "create-admin NAME), or bind to 127.0.0.1"
            )
        return self

    @property
    def accepted_hosts(self) -> frozenset[str]:
        """Host names every service answers to: loopback, a named GATEWAY_HOST, ALLOWED_HOSTS."""
        names = LOOPBACK_NAMES | set(self.allowed_hosts)
        if self.gateway_host.strip() not in WILDCARD_BINDS:
            names.add(host_name(self.gateway_host) or self.gateway_host)
        return frozenset(names)

    @property
    def sqlalchemy_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.var_dir / 'platform.db').resolve()}"

    @property
    def artifacts_path(self) -> Path:
        return self.artifact_dir or self.var_dir / "artifacts"

    @property
    def data_path(self) -> Path:
        return self.data_dir or self.var_dir / "data"

    @property
    def logs_path(self) -> Path:
        return self.log_dir or self.var_dir / "log"


@lru_cache
def get_settings() -> Settings:
    """The process's settings, read from the environment (and .env) once."""
    return Settings()
