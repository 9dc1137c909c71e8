"""CPU affinity for the server process: parse a CPU list and pin the process to it.

Why: on a 2-core machine shared with the client, Linux moves the server's stepping thread between
the cores from call to call, and each move starts a step on cold caches. Pinning the server to
one CPU measured 1.3-1.8x the gRPC steps/s of the unpinned server (hopper, N = 1 to 64; see the
README's benchmark section). It is opt-in: several servers pinned to the same CPU would share it.
"""

from __future__ import annotations

import os


def parse_cpu_list(text: str) -> set[int]:
    """CPUs from ``"1"``, ``"0,2"`` or ``"2-3"`` (Linux cpu-list syntax); ValueError if bad."""
    cpus: set[int] = set()
    for part in text.split(","):
        part = part.strip()
        if not part:
            raise ValueError(f"cpu list {text!r} has an empty entry")
        low, _, high = part.partition("-")
        try:
            first, last = int(low), int(high) if high else int(low)
        except ValueError:
            raise ValueError(f"cpu list {text!r}: {part!r} is not a CPU number or range") from None
        if first < 0 or last < first:
            raise ValueError(f"cpu list {text!r}: {part!r} is not a valid range")
        cpus.update(range(first, last + 1))
    return cpus


def pin_process(cpus: set[int]) -> None:
    """Pins every thread of this process to ``cpus``; threads started later inherit it.

    Linux affinity is per thread, and imports already started some (numpy's BLAS pool, for one),
    so each existing thread is pinned by its id. Raises ValueError naming the CPUs this process
    may use when ``cpus`` asks for others, before changing anything.
    """
    allowed = os.sched_getaffinity(0)
    missing = sorted(cpus - allowed)
    if missing:
        raise ValueError(
            f"CPU(s) {missing} are not available to this process; it may use {sorted(allowed)}"
        )
    for thread_id in os.listdir("/proc/self/task"):
        try:
            os.sched_setaffinity(int(thread_id), cpus)
        except ProcessLookupError:
            continue  # the thread ended meanwhile: nothing to pin
