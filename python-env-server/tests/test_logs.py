"""What clients can put into the server's log is bounded: clipped text, rate-limited errors."""

from __future__ import annotations

import io
import logging
import sys

from conftest import client_version
from test_sessions_and_errors import FakeClock

from dtql_envserver.logs import RepeatFilter, clip, configure_logging
from dtql_envserver.proto import env_pb2


def test_clip_keeps_short_text_and_marks_what_it_cuts():
    assert clip("hopper-client") == "hopper-client"
    assert clip("x" * 100) == "x" * 100
    clipped = clip("y" * 65536)
    assert clipped == "y" * 100 + "...[65436 more chars]"


def test_a_64_kib_client_name_gives_a_short_log_line(stub, caplog):
    name = "n" * 65536
    with caplog.at_level(logging.INFO, logger="dtql_envserver"):
        stub.Handshake(env_pb2.HandshakeRequest(client_version=client_version(), client_name=name))
    lines = [r.getMessage() for r in caplog.records if "handshake from" in r.getMessage()]
    assert len(lines) == 1
    assert len(lines[0]) < 200 and "[65436 more chars]" in lines[0]


def record(msg: str = "Exception deserializing message!", level: int = logging.ERROR):
    try:
        raise ValueError("bad bytes")
    except ValueError:
        exc_info = sys.exc_info()
    return logging.LogRecord("grpc._common", level, __file__, 1, msg, (), exc_info)


def test_repeat_filter_passes_a_burst_then_one_summary_per_interval():
    clock = FakeClock()
    repeats = RepeatFilter(burst=3, interval=60.0, clock=clock)
    assert [repeats.filter(record()) for _ in range(3)] == [True, True, True]
    assert [repeats.filter(record()) for _ in range(7)] == [False] * 7
    clock.now += 61
    summary = record()
    assert repeats.filter(summary)
    assert summary.exc_info is None, "a summary carries no traceback"
    assert "7 like this suppressed in the last 61s" in summary.getMessage()
    assert summary.getMessage().startswith("Exception deserializing message!")
    assert not repeats.filter(record())  # the next interval starts over
    assert repeats.filter(record("another kind of error"))  # kinds are counted apart
    assert all(repeats.filter(record(level=logging.INFO)) for _ in range(10))  # INFO untouched


def test_configure_logging_rate_limits_records_of_every_logger():
    out = io.StringIO()
    handler = configure_logging(logging.INFO, out)
    try:
        grpc_log = logging.getLogger("grpc._server")
        for _ in range(10):
            try:
                raise ValueError("bad bytes")
            except ValueError:
                grpc_log.exception("Exception calling application")
        assert out.getvalue().count("Traceback") == 3
    finally:
        logging.getLogger().removeHandler(handler)
