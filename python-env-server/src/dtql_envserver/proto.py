"""The generated contract modules, importable as ``from dtql_envserver.proto import env_pb2``.

protoc emits absolute imports (``from dtql.env.v1 import env_pb2``), so the generated tree is put
on ``sys.path`` here, once, instead of rewriting generated code.
"""

from __future__ import annotations

import sys

from dtql_envserver.codegen import GENERATED_DIR

if not (GENERATED_DIR / "dtql").is_dir():
    raise ImportError(
        f"generated stubs are missing in {GENERATED_DIR}; run `python -m dtql_envserver.codegen`"
    )
if str(GENERATED_DIR) not in sys.path:
    sys.path.insert(0, str(GENERATED_DIR))

from dtql.env.v1 import env_pb2, env_pb2_grpc  # noqa: E402

__all__ = ["env_pb2", "env_pb2_grpc"]
