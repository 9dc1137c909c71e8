"""TLS on the server (--tls-cert/--tls-key) and the warning for a non-loopback address."""

from __future__ import annotations

import logging
import shutil
import subprocess
from pathlib import Path

import grpc
import pytest

from dtql_envserver.proto import env_pb2, env_pb2_grpc
from dtql_envserver.server import EnvServer, ServerConfig, TlsFiles, is_loopback


def self_signed(directory: Path, name: str = "server") -> TlsFiles:
    """A fresh self-signed certificate for localhost and 127.0.0.1, made with openssl."""
    openssl = shutil.which("openssl")
    assert openssl, (
        "the openssl binary is needed to make test certificates (apt-get install openssl)"
    )
    cert, key = directory / f"{name}.pem", directory / f"{name}.key"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"]
        + ["-keyout", str(key), "-out", str(cert), "-subj", "/CN=localhost"]
        + ["-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
        check=True,
        capture_output=True,
    )
    return TlsFiles(cert=cert, key=key)


@pytest.fixture(scope="module")
def tls_server(registry, tmp_path_factory):
    files = self_signed(tmp_path_factory.mktemp("tls"))
    server = EnvServer(ServerConfig(port=0, tls=files), registry)
    port = server.start()
    yield files, port
    server.stop(grace=0)


def test_a_client_trusting_the_certificate_talks_to_the_tls_server(tls_server):
    files, port = tls_server
    credentials = grpc.ssl_channel_credentials(root_certificates=files.cert.read_bytes())
    with grpc.secure_channel(f"127.0.0.1:{port}", credentials) as channel:
        tasks = env_pb2_grpc.EnvServiceStub(channel).ListTasks(
            env_pb2.ListTasksRequest(), timeout=10
        )
        assert "hopper" in [t.task_id for t in tasks.tasks]


def test_plaintext_and_untrusted_clients_are_refused(tls_server, tmp_path):
    _, port = tls_server
    with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
        with pytest.raises(grpc.RpcError) as plaintext:
            env_pb2_grpc.EnvServiceStub(channel).ListTasks(env_pb2.ListTasksRequest(), timeout=5)
        assert plaintext.value.code() == grpc.StatusCode.UNAVAILABLE
    other_ca = self_signed(tmp_path, "other").cert.read_bytes()
    credentials = grpc.ssl_channel_credentials(root_certificates=other_ca)
    with grpc.secure_channel(f"127.0.0.1:{port}", credentials) as channel:
        with pytest.raises(grpc.RpcError) as untrusted:
            env_pb2_grpc.EnvServiceStub(channel).ListTasks(env_pb2.ListTasksRequest(), timeout=5)
        assert untrusted.value.code() == grpc.StatusCode.UNAVAILABLE


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("localhost", True),
        ("::1", True),
        ("[::1]", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.5", False),
        ("sim.example.org", False),
    ],
)
def test_loopback_addresses_are_recognised(host, loopback):
    assert is_loopback(host) is loopback


def test_binding_a_non_loopback_address_logs_a_warning(registry, caplog):
    server = EnvServer(ServerConfig(host="0.0.0.0", port=0), registry)
    with caplog.at_level(logging.WARNING, logger="dtql_envserver"):
        server.start()
    server.stop(grace=0)
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any(
        "0.0.0.0 is not a loopback address" in w and "no authentication" in w and "no TLS" in w
        for w in warnings
    ), warnings


def test_binding_loopback_logs_no_warning(registry, caplog):
    server = EnvServer(ServerConfig(port=0), registry)
    with caplog.at_level(logging.WARNING, logger="dtql_envserver"):
        server.start()
    server.stop(grace=0)
    assert not [r for r in caplog.records if "loopback" in r.getMessage()]
