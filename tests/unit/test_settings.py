"""Settings that would expose the platform unsafely refuse to load."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from shared.config import Settings


@pytest.mark.parametrize("empty", ["", "   "])
def test_an_empty_api_key_is_no_key(empty: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # Probe: GATEWAY_HOST=0.0.0.0 API_KEY= started the gateway, and it took writes without a key.
    monkeypatch.setenv("GATEWAY_HOST", "0.0.0.0")
    monkeypatch.setenv("API_KEY", empty)
    with pytest.raises(ValidationError, match="set ACCOUNTS=true"):
        Settings()
    assert Settings(gateway_host="127.0.0.1", api_key=empty).api_key is None  # the open default


def test_a_real_key_is_kept() -> None:
    settings = Settings(api_key=" k3y ")
    assert settings.api_key is not None and settings.api_key.get_secret_value() == " k3y "
