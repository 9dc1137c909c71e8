"""Sessions: leased, thread-safe owners of one VectorEnv each.

A session is a lease: every call renews it, and a reaper thread closes sessions idle for longer
than their timeout so a client that died leaks nothing. Calls on one session serialise on its
lock; calls on different sessions run in parallel. This module knows nothing of gRPC.
"""

from __future__ import annotations

import logging
import math
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from dtql_envserver.errors import InvalidArgumentError, NotFoundError, ResourceExhaustedError
from dtql_envserver.tasks import TaskRegistry
from dtql_envserver.vector_env import AutoReset, VectorEnv

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SessionLimits:
    """Server-wide limits on sessions."""

    max_sessions: int = 16
    max_envs_per_session: int = 1024
    default_idle_timeout: float = 300.0

    def __post_init__(self) -> None:
        if self.max_sessions < 1:
            raise ValueError(f"max_sessions = {self.max_sessions} must be >= 1")
        if self.max_envs_per_session < 1:
            raise ValueError(f"max_envs_per_session = {self.max_envs_per_session} must be >= 1")
        if not (self.default_idle_timeout > 0 and math.isfinite(self.default_idle_timeout)):
            raise ValueError(f"default_idle_timeout = {self.default_idle_timeout} must be > 0")


@dataclass
class Session:
    """One client's vector env plus its lease."""

    session_id: str
    env: VectorEnv
    idle_timeout: float
    last_used: float
    lock: threading.Lock = field(default_factory=threading.Lock)
    closed: bool = False


class SessionManager:
    """Creates, looks up, leases and closes sessions."""

    def __init__(
        self,
        registry: TaskRegistry,
        limits: SessionLimits,
        workers_per_session: int = 1,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.registry = registry
        self.limits = limits
        self._workers_per_session = workers_per_session
        self._clock = clock
        self._lock = threading.Lock()
        self._sessions: dict[str, Session] = {}
        self._reserved = 0  # slots taken by sessions still being built
        self._reaper: threading.Thread | None = None
        self._stop_reaper = threading.Event()

    # --- lifecycle of sessions --------------------------------------------------------------

    def create(
        self,
        task_id: str,
        num_envs: int,
        base_seed: int = 0,
        env_seeds: Sequence[int] | None = None,
        autoreset: AutoReset = AutoReset.NEXT_STEP,
        idle_timeout: float = 0.0,
    ) -> Session:
        """Validates the request, reserves a slot, then builds the envs outside the lock."""
        task = self.registry.get(task_id)
        max_envs = self.limits.max_envs_per_session
        if num_envs < 1 or num_envs > max_envs:
            raise InvalidArgumentError(f"num_envs = {num_envs} must be in 1..{max_envs}")
        if env_seeds is not None and len(env_seeds) > 0:
            if len(env_seeds) != num_envs:
                raise InvalidArgumentError(
                    f"env_seeds has {len(env_seeds)} seeds but num_envs = {num_envs}"
                )
            seeds = [int(s) for s in env_seeds]
        else:
            seeds = [int(base_seed) + i for i in range(num_envs)]
        if not math.isfinite(idle_timeout) or idle_timeout < 0:
            raise InvalidArgumentError(
                f"idle_timeout_seconds = {idle_timeout} must be >= 0 (0 = server default)"
            )
        timeout = idle_timeout if idle_timeout > 0 else self.limits.default_idle_timeout
        with self._lock:
            if len(self._sessions) + self._reserved >= self.limits.max_sessions:
                raise ResourceExhaustedError(
                    f"too many sessions: the limit max_sessions = {self.limits.max_sessions} is "
                    "reached; close a session first"
                )
            self._reserved += 1
        try:
            env = VectorEnv(task, seeds, autoreset, workers=self._workers_per_session)
            session = Session(uuid.uuid4().hex, env, timeout, self._clock())
            with self._lock:
                self._sessions[session.session_id] = session
        finally:
            with self._lock:
                self._reserved -= 1
        log.info(
            "session %s created: task %s, %d envs, autoreset %s, idle timeout %.1fs",
            session.session_id,
            task_id,
            num_envs,
            autoreset.name,
            timeout,
        )
        return session

    @contextmanager
    def use(self, session_id: str) -> Iterator[Session]:
        """Holds the session's lock for one call and renews its lease before and after."""
        session = self._lookup(session_id)
        with session.lock:
            if session.closed:
                raise NotFoundError(f"session_id {session_id!r} was closed")
            session.last_used = self._clock()
            try:
                yield session
            finally:
                session.last_used = self._clock()

    def close(self, session_id: str, reason: str = "closed by client") -> None:
        """Closes a session (waiting for a call in flight on it); NOT_FOUND if unknown."""
        session = self._lookup(session_id)
        with session.lock:
            self._close_locked(session, reason)

    def close_all(self) -> None:
        """Closes every session (server shutdown)."""
        with self._lock:
            sessions = list(self._sessions.values())
        for session in sessions:
            with session.lock:
                self._close_locked(session, "server shutdown")

    def session_count(self) -> int:
        """The number of open sessions."""
        with self._lock:
            return len(self._sessions)

    def _lookup(self, session_id: str) -> Session:
        with self._lock:
            session = self._sessions.get(session_id)
        if session is None:
            raise NotFoundError(
                f"unknown session_id {session_id!r} (closed, expired or never made)"
            )
        return session

    def _close_locked(self, session: Session, reason: str) -> None:
        if session.closed:
            return
        session.closed = True
        with self._lock:
            self._sessions.pop(session.session_id, None)
        session.env.close()
        log.info("session %s closed: %s", session.session_id, reason)

    # --- leases -------------------------------------------------------------------------------

    def reap_idle(self) -> list[str]:
        """Closes sessions idle past their timeout; skips sessions with a call in flight."""
        now = self._clock()
        with self._lock:
            candidates = [s for s in self._sessions.values() if now - s.last_used > s.idle_timeout]
        reaped = []
        for session in candidates:
            if not session.lock.acquire(blocking=False):
                continue  # a call is running: the lease is being renewed
            try:
                if self._clock() - session.last_used > session.idle_timeout:
                    self._close_locked(
                        session, f"idle for more than its {session.idle_timeout:.1f}s lease"
                    )
                    reaped.append(session.session_id)
            finally:
                session.lock.release()
        return reaped

    def start_reaper(self, interval: float | None = None) -> None:
        """Starts the daemon thread that reaps idle sessions every ``interval`` seconds."""
        if self._reaper is not None:
            return
        # At most 1 s late even for sessions with a lease shorter than the default.
        period = (
            interval if interval is not None else min(1.0, self.limits.default_idle_timeout / 4)
        )

        def run() -> None:
            while not self._stop_reaper.wait(period):
                try:
                    self.reap_idle()
                except Exception:  # the reaper must survive one bad close; log it loudly
                    log.exception("session reaper failed")

        self._reaper = threading.Thread(target=run, name="session-reaper", daemon=True)
        self._reaper.start()

    def stop_reaper(self) -> None:
        """Stops the reaper thread."""
        self._stop_reaper.set()
        if self._reaper is not None:
            self._reaper.join()
            self._reaper = None
