"""Log hygiene: what a client can put into the server's log is bounded.

Two things a client controls reach the log: text it sends (``client_name`` in the handshake), and
how often the server logs an error about its requests (gRPC logs a full traceback for every
request it cannot decode). :func:`clip` bounds the first; :class:`RepeatFilter` bounds the second:
the first few records of one kind are logged in full, then at most one summary line per interval
says how many were suppressed, without their tracebacks.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

CLIP_CHARS = 100
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def clip(text: str, limit: int = CLIP_CHARS) -> str:
    """``text`` if at most ``limit`` characters long, else its start and a marker with the rest."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}...[{len(text) - limit} more chars]"


@dataclass
class _Repeats:
    seen: int = 0  # records of this kind so far
    suppressed: int = 0  # dropped since the last line that was let through
    last_emitted: float = 0.0


class RepeatFilter(logging.Filter):
    """Rate-limits repeated WARNING-or-worse records of one kind (same logger, same template).

    The first ``burst`` records pass unchanged. After that a record passes only if ``interval``
    seconds went by since the last one that passed, and then as a one-line summary: its message,
    the count suppressed since, and no traceback. Records below WARNING are never touched.
    """

    def __init__(
        self,
        burst: int = 3,
        interval: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        if burst < 0 or not interval > 0:
            raise ValueError(f"burst = {burst} must be >= 0 and interval = {interval} > 0")
        self.burst = burst
        self.interval = interval
        self._clock = clock
        self._kinds: dict[tuple[str, str], _Repeats] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING:
            return True
        kind = self._kinds.setdefault((record.name, str(record.msg)), _Repeats())
        kind.seen += 1
        now = self._clock()
        if kind.seen <= self.burst:
            kind.last_emitted = now
            return True
        if now - kind.last_emitted < self.interval:
            kind.suppressed += 1
            return False
        message = record.getMessage()
        record.msg = "%s [repeated: %d like this suppressed in the last %.0fs; traceback omitted]"
        record.args = (message, kind.suppressed, now - kind.last_emitted)
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        kind.suppressed = 0
        kind.last_emitted = now
        return True


def configure_logging(
    level: str | int, stream: TextIO = sys.stderr, repeat_filter: RepeatFilter | None = None
) -> logging.Handler:
    """The CLI's logging: one handler on the root logger, repeated errors rate-limited.

    The filter sits on the handler, so it also sees gRPC's own records (they come from loggers
    below ``grpc``, which a filter on a logger would not see).
    """
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    handler.addFilter(repeat_filter or RepeatFilter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    return handler
