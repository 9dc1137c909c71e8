"""Generates the Python gRPC stubs from the repository's proto/ directory.

The .proto files are the single source of truth; the generated modules live in ``generated/``
beside this file and are never committed. ``scripts/setup.sh`` runs this module; it is cheap to
re-run and regenerates only when a .proto file is newer than its stubs.
"""

from __future__ import annotations

import sys
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
GENERATED_DIR = PACKAGE_DIR / "generated"
PROTO_ROOT = PACKAGE_DIR.parents[2] / "proto" / "src" / "main" / "proto"


def proto_files() -> list[Path]:
    """All .proto files of the contract, sorted."""
    files = sorted(PROTO_ROOT.rglob("*.proto"))
    if not files:
        raise FileNotFoundError(f"no .proto files under {PROTO_ROOT}")
    return files


def is_stale() -> bool:
    """True when any .proto file is newer than the generated stubs (or stubs are missing)."""
    stubs = list(GENERATED_DIR.rglob("*_pb2*.py"))
    if not stubs:
        return True
    newest_stub = min(p.stat().st_mtime for p in stubs)
    return any(p.stat().st_mtime > newest_stub for p in proto_files())


def generate() -> None:
    """Runs grpc_tools.protoc over every .proto file into GENERATED_DIR."""
    from grpc_tools import protoc  # imported here: only set-up needs grpcio-tools

    GENERATED_DIR.mkdir(exist_ok=True)
    args = [
        "grpc_tools.protoc",
        f"-I{PROTO_ROOT}",
        f"--python_out={GENERATED_DIR}",
        f"--pyi_out={GENERATED_DIR}",
        f"--grpc_python_out={GENERATED_DIR}",
        *[str(p) for p in proto_files()],
    ]
    if protoc.main(args) != 0:
        raise RuntimeError(f"protoc failed: {' '.join(args)}")


def main() -> int:
    if is_stale():
        generate()
        print(f"[codegen] generated Python stubs in {GENERATED_DIR}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
