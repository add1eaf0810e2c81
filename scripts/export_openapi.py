"""Write the platform's merged OpenAPI document, built in-process: no stack, no network.

The gateway merges the services' documents at runtime (gateway/openapi.py), fetching each over
HTTP. Here the three apps are built in this process and each service answers from its own app
object, so the dashboard's typed client can be regenerated on a machine with nothing running:

    python scripts/export_openapi.py                # writes dashboard/openapi.json
    python scripts/export_openapi.py --out -        # prints it
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
from pathlib import Path
from typing import Any, cast

from fastapi import FastAPI

from gateway.clients import ServiceClient
from gateway.main import create_app as gateway_app
from gateway.openapi import merged_openapi
from shared.config import Settings
from simulator.main import create_app as simulator_app
from trainer.main import create_app as trainer_app

ROOT = Path(__file__).resolve().parents[1]
SNAPSHOT = ROOT / "dashboard" / "openapi.json"


class _InProcessService:
    """Stands in for a ServiceClient where the merge only asks for the service's document."""

    def __init__(self, app: FastAPI) -> None:
        self._app = app

    async def openapi(self) -> dict[str, Any]:
        return self._app.openapi()


def build_document() -> dict[str, Any]:
    """The document the gateway serves at /openapi.json when every service is up."""
    with tempfile.TemporaryDirectory() as var_dir:
        # Explicit values so that a local .env or environment cannot change the document.
        settings = Settings(_env_file=None, var_dir=Path(var_dir))  # type: ignore[call-arg]
        services = {
            "trainer": _InProcessService(trainer_app(settings)),
            "simulator": _InProcessService(simulator_app(settings)),
        }
        gateway = gateway_app(settings)
        return asyncio.run(merged_openapi(gateway, cast(dict[str, ServiceClient], services)))


def render(doc: dict[str, Any]) -> str:
    """The snapshot's text: stable key order as built, two-space indent, final newline."""
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(SNAPSHOT), help="file to write, or - for stdout")
    args = parser.parse_args()
    text = render(build_document())
    if args.out == "-":
        sys.stdout.write(text)
    else:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
