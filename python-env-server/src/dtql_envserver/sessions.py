"""Sessions: leased, thread-safe owners of one VectorEnv each, and the step streams using them.

A session is a lease: every call renews it, and a reaper thread closes sessions idle for longer
than their timeout so a client that died leaks nothing. Calls on one session serialise on its
lock; calls on different sessions run in parallel.

Step streams are bounded and leased too. An open stream holds one server thread for its whole
life, even before its first request, so the number of open streams is limited in total
(``max_streams``, which the server keeps below its thread count) and per session
(``max_streams_per_session``, counted once a stream names the session); the reaper cancels a
stream that carried no request for as long as the longest lease of the sessions it stepped (the
default lease if it stepped none). This module knows nothing of gRPC: a stream is registered
with a ``cancel`` callable.
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
from dtql_envserver.memory import release_freed_memory
from dtql_envserver.tasks import TaskRegistry
from dtql_envserver.vector_env import AutoReset, VectorEnv

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SessionLimits:
    """Server-wide limits on sessions."""

    max_sessions: int = 16
    max_envs_per_session: int = 1024
    default_idle_timeout: float = 300.0
    # A session asking for a longer lease is granted this one (the response says so).
    max_idle_timeout: float = 3600.0
    max_streams: int = 32
    max_streams_per_session: int = 4

    def __post_init__(self) -> None:
        if self.max_sessions < 1:
            raise ValueError(f"max_sessions = {self.max_sessions} must be >= 1")
        if self.max_envs_per_session < 1:
            raise ValueError(f"max_envs_per_session = {self.max_envs_per_session} must be >= 1")
        if not (self.default_idle_timeout > 0 and math.isfinite(self.default_idle_timeout)):
            raise ValueError(f"default_idle_timeout = {self.default_idle_timeout} must be > 0")
        if not (math.isfinite(self.max_idle_timeout) and self.max_idle_timeout > 0):
            raise ValueError(f"max_idle_timeout = {self.max_idle_timeout} must be > 0")
        if self.default_idle_timeout > self.max_idle_timeout:
            raise ValueError(
                f"default_idle_timeout = {self.default_idle_timeout} must be <= "
                f"max_idle_timeout = {self.max_idle_timeout}"
            )
        if self.max_streams < 1:
            raise ValueError(f"max_streams = {self.max_streams} must be >= 1")
        if self.max_streams_per_session < 1:
            raise ValueError(
                f"max_streams_per_session = {self.max_streams_per_session} must be >= 1"
            )


@dataclass
class Session:
    """One client's vector env plus its lease."""

    session_id: str
    env: VectorEnv
    idle_timeout: float
    last_used: float
    lock: threading.Lock = field(default_factory=threading.Lock)
    closed: bool = False
    streams: set[int] = field(default_factory=set)  # ids of the open streams that named it


@dataclass(eq=False)
class StepStreamLease:
    """One open step stream: its lease, and the sessions it has named. Guarded by the manager."""

    stream_id: int
    cancel: Callable[[], None]
    idle_timeout: float
    last_used: float
    sessions: set[str] = field(default_factory=set)
    busy: bool = False
    closed: bool = False


class SessionManager:
    """Creates, looks up, leases and closes sessions."""

    def __init__(
        self,
        registry: TaskRegistry,
        limits: SessionLimits,
        workers_per_session: int = 1,
        clock: Callable[[], float] = time.monotonic,
        trim_memory: bool = True,
    ) -> None:
        self.registry = registry
        self.limits = limits
        self._workers_per_session = workers_per_session
        self._clock = clock
        self._trim_memory = trim_memory
        self._lock = threading.Lock()
        self._sessions: dict[str, Session] = {}
        self._reserved = 0  # slots taken by sessions still being built
        self._streams: dict[int, StepStreamLease] = {}
        self._next_stream_id = 0
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
        info_keys: Sequence[str] = (),
    ) -> Session:
        """Validates the request, reserves a slot, then builds the envs outside the lock."""
        task = self.registry.get(task_id)
        task.select_infos(info_keys)  # refuses an unknown key before any env is built
        max_envs = self.limits.max_envs_per_session
        if num_envs < 1 or num_envs > max_envs:
            raise InvalidArgumentError(f"num_envs = {num_envs} must be in 1..{max_envs}")
        if env_seeds is not None:
            # Present means explicit: an empty list is a mistake, not a request for 0..N-1.
            if len(env_seeds) != num_envs:
                raise InvalidArgumentError(
                    f"env_seeds has {len(env_seeds)} seeds but num_envs = {num_envs}; give "
                    "exactly num_envs seeds, or base_seed instead"
                )
            seeds = [int(s) for s in env_seeds]
        else:
            seeds = [int(base_seed) + i for i in range(num_envs)]
        timeout = self.granted_idle_timeout(idle_timeout)
        with self._lock:
            if len(self._sessions) + self._reserved >= self.limits.max_sessions:
                raise ResourceExhaustedError(
                    f"too many sessions: the limit max_sessions = {self.limits.max_sessions} is "
                    "reached; close a session first"
                )
            self._reserved += 1
        try:
            env = VectorEnv(
                task, seeds, autoreset, workers=self._workers_per_session, info_keys=info_keys
            )
            session = Session(uuid.uuid4().hex, env, timeout, self._clock())
            with self._lock:
                self._sessions[session.session_id] = session
        finally:
            with self._lock:
                self._reserved -= 1
        log.info(
            "session %s created: task %s, %d envs, autoreset %s, idle timeout %.1fs%s%s",
            session.session_id,
            task_id,
            num_envs,
            autoreset.name,
            timeout,
            f" (asked for {idle_timeout:g}s, capped at max_idle_timeout)"
            if idle_timeout > timeout
            else "",
            f", infos {', '.join(env.info_keys)}" if env.info_keys else "",
        )
        return session

    def granted_idle_timeout(self, requested: float) -> float:
        """The lease a session asking for ``requested`` seconds gets: 0 = the default; capped."""
        if not math.isfinite(requested) or requested < 0:
            raise InvalidArgumentError(
                f"idle_timeout_seconds = {requested} must be >= 0 (0 = server default)"
            )
        if requested == 0:
            return self.limits.default_idle_timeout
        return min(requested, self.limits.max_idle_timeout)

    @contextmanager
    def use(self, session_id: str, stream: StepStreamLease | None = None) -> Iterator[Session]:
        """Holds the session's lock for one call and renews its lease before and after.

        A call arriving on a step stream also renews the stream's lease, and counts the stream
        against the session's ``max_streams_per_session`` the first time it names the session.
        """
        session = self._lookup(session_id)
        if stream is not None:
            self._attach(stream, session)
        try:
            with session.lock:
                if session.closed:
                    raise NotFoundError(f"session_id {session_id!r} was closed")
                session.last_used = self._clock()
                try:
                    yield session
                finally:
                    session.last_used = self._clock()
        finally:
            if stream is not None:
                with self._lock:
                    stream.busy = False
                    stream.last_used = self._clock()

    def close(self, session_id: str, reason: str = "closed by client") -> None:
        """Closes a session (waiting for a call in flight on it); NOT_FOUND if unknown."""
        session = self._lookup(session_id)
        with session.lock:
            self._close_locked(session, reason)
        self._release_memory()

    def close_all(self) -> None:
        """Closes every session (server shutdown)."""
        with self._lock:
            sessions = list(self._sessions.values())
        for session in sessions:
            with session.lock:
                self._close_locked(session, "server shutdown")
        self._release_memory()

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
            for stream_id in session.streams:
                stream = self._streams.get(stream_id)
                if stream is not None:
                    stream.sessions.discard(session.session_id)
            session.streams.clear()
        session.env.close()
        log.info("session %s closed: %s", session.session_id, reason)

    def _release_memory(self) -> None:
        """Returns the memory of closed envs to the OS (glibc keeps it otherwise; see memory.py)."""
        if self._trim_memory:
            release_freed_memory()

    # --- step streams -------------------------------------------------------------------------

    def open_stream(self, cancel: Callable[[], None]) -> StepStreamLease:
        """Registers a new step stream; RESOURCE_EXHAUSTED when ``max_streams`` are open.

        ``cancel`` ends the stream from another thread (the reaper's); the caller must call
        :meth:`close_stream` when the stream ends, however it ends.
        """
        with self._lock:
            if len(self._streams) >= self.limits.max_streams:
                raise ResourceExhaustedError(
                    f"too many step streams: the limit max_streams = {self.limits.max_streams} "
                    "is reached; end a stream first, or use unary Step"
                )
            self._next_stream_id += 1
            stream = StepStreamLease(
                self._next_stream_id, cancel, self.limits.default_idle_timeout, self._clock()
            )
            self._streams[stream.stream_id] = stream
            return stream

    def close_stream(self, stream: StepStreamLease) -> None:
        """Forgets an ended stream and frees its slots. Idempotent."""
        with self._lock:
            self._forget_stream_locked(stream)

    def stream_count(self) -> int:
        """The number of open step streams."""
        with self._lock:
            return len(self._streams)

    def _attach(self, stream: StepStreamLease, session: Session) -> None:
        """Marks the stream busy; counts it against the session if it is new to the session."""
        limit = self.limits.max_streams_per_session
        with self._lock:
            if stream.closed:
                raise NotFoundError(
                    f"step stream {stream.stream_id} was ended by the server (idle past its lease)"
                )
            if session.session_id not in stream.sessions and not session.closed:
                if len(session.streams) >= limit:
                    raise ResourceExhaustedError(
                        f"session {session.session_id} already has {len(session.streams)} step "
                        f"streams open, the limit max_streams_per_session = {limit}; end one "
                        "first, or use unary Step"
                    )
                session.streams.add(stream.stream_id)
                stream.sessions.add(session.session_id)
                stream.idle_timeout = max(stream.idle_timeout, session.idle_timeout)
            stream.busy = True
            stream.last_used = self._clock()

    def _forget_stream_locked(self, stream: StepStreamLease) -> None:
        stream.closed = True
        self._streams.pop(stream.stream_id, None)
        for session_id in stream.sessions:
            session = self._sessions.get(session_id)
            if session is not None:
                session.streams.discard(stream.stream_id)
        stream.sessions.clear()

    def reap_idle_streams(self) -> list[int]:
        """Cancels streams with no request for longer than their lease; skips busy streams."""
        now = self._clock()
        with self._lock:
            idle = [
                s
                for s in self._streams.values()
                if not s.busy and now - s.last_used > s.idle_timeout
            ]
            for stream in idle:
                self._forget_stream_locked(stream)
        for stream in idle:
            log.info(
                "step stream %d cancelled: no request for more than its %.1fs lease",
                stream.stream_id,
                stream.idle_timeout,
            )
            try:
                stream.cancel()
            except Exception:  # a stream that already ended may refuse; its slot is free anyway
                log.debug("cancelling step stream %d failed", stream.stream_id, exc_info=True)
        return [s.stream_id for s in idle]

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
        if reaped:
            self._release_memory()
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
                    self.reap_idle_streams()
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
