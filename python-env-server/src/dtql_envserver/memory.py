"""Giving freed heap memory back to the operating system.

Closing a session frees its MuJoCo models and data, but glibc's malloc keeps freed memory in its
arenas instead of returning it, so a server that creates and closes many sessions grows its RSS
round after round (measured: 79 -> 466 MiB over 12 rounds of 9 sessions x 16 hopper envs).
``malloc_trim(0)`` returns the free memory at the top of every arena and in whole free pages.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import logging
import platform
from collections.abc import Callable

log = logging.getLogger(__name__)


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, or None on another C library (musl, macOS) where it is absent."""
    if platform.libc_ver()[0] != "glibc":
        return None
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        trim = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


def release_freed_memory() -> bool:
    """Calls ``malloc_trim(0)`` where glibc provides it; returns whether it could be called."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True


def rss_bytes(pid: int | str = "self") -> int:
    """The resident set size of a process (Linux ``/proc/<pid>/status``, VmRSS)."""
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise ValueError(f"no VmRSS line in /proc/{pid}/status")
