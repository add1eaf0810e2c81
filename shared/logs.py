"""Process logging: the console and var/log/<process>.log, with the job id on worker lines."""

from __future__ import annotations

import contextvars
import logging
import sys
from pathlib import Path

# The job a worker thread is running; job runners set it, every log line of that job shows it.
current_job_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("job_id", default=None)

FORMAT = "%(asctime)s %(levelname)-7s %(process_label)s %(name)s%(job_label)s: %(message)s"


class _ContextFilter(logging.Filter):
    def __init__(self, process: str) -> None:
        super().__init__()
        self.process = process

    def filter(self, record: logging.LogRecord) -> bool:
        record.process_label = self.process
        job_id = current_job_id.get()
        record.job_label = f" [job={job_id}]" if job_id else ""
        return True


def setup_logging(process: str, log_dir: Path, level: str = "INFO") -> None:
    """Send every log line of this process to stderr and to `log_dir/<process>.log`."""
    log_dir.mkdir(parents=True, exist_ok=True)
    formatter = logging.Formatter(FORMAT)
    context = _ContextFilter(process)
    handlers: list[logging.Handler] = [
        logging.StreamHandler(sys.stderr),
        logging.FileHandler(log_dir / f"{process}.log", encoding="utf-8"),
    ]
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    for handler in handlers:
        handler.setFormatter(formatter)
        handler.addFilter(context)
        root.addHandler(handler)
    root.setLevel(level.upper())
    # uvicorn and celery install their own handlers; route them through ours instead.
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "celery"):
        lib_logger = logging.getLogger(name)
        lib_logger.handlers.clear()
        lib_logger.propagate = True
    # The gateway's every forwarded request is already in the access log; keep httpx for trouble.
    logging.getLogger("httpx").setLevel(logging.WARNING)
