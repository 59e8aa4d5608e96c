"""Fault servers for the tool zoo: real clients meet real network failures.

Run inside a network namespace of its own (see `generate.py`), listening on every
address of it, one port per fault:

| port | fault |
|---|---|
| 8001 | HTTP 503 Service Unavailable |
| 8002 | HTTP 429 Too Many Requests, `Retry-After: 1` |
| 8003 | HTTP 500 Internal Server Error |
| 8004 | HTTP 502 Bad Gateway |
| 8005 | the connection is reset once the request has arrived |
| 8006 | the request is read and never answered |
| 8007 | a TLS client gets plain bytes back (handshake failure) |
| 8008 | HTTP 200 whose body stops short of its Content-Length |

Port 8009 has nothing listening (connection refused). Standard library only.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import sys
import threading
import time

PORTS = {
    8001: "503",
    8002: "429",
    8003: "500",
    8004: "502",
    8005: "reset",
    8006: "silent",
    8007: "not-tls",
    8008: "short-body",
}
REFUSED_PORT = 8009
_REASONS = {
    "503": "Service Unavailable",
    "429": "Too Many Requests",
    "500": "Internal Server Error",
    "502": "Bad Gateway",
}


def _read_request(conn: socket.socket) -> bytes:
    conn.settimeout(5)
    data = b""
    try:
        while b"\r\n\r\n" not in data and len(data) < 65536:
            chunk = conn.recv(4096)
            if not chunk:
                break
            data += chunk
    except OSError:
        pass
    return data


def _serve(conn: socket.socket, fault: str) -> None:
    try:
        if fault == "not-tls":
            conn.recv(4096)
            conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
            return
        _read_request(conn)
        if fault in _REASONS:
            body = f"{fault} {_REASONS[fault]}\n".encode()
            extra = "Retry-After: 1\r\n" if fault == "429" else ""
            head = (
                f"HTTP/1.1 {fault} {_REASONS[fault]}\r\nContent-Type: text/plain\r\n{extra}"
                f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
            )
            conn.sendall(head.encode() + body)
        elif fault == "reset":
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        elif fault == "silent":
            time.sleep(3600)
        elif fault == "short-body":
            conn.sendall(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
                b"Content-Length: 100000\r\n\r\n" + b"x" * 100
            )
    finally:
        conn.close()


def _listen(port: int, fault: str) -> None:
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("0.0.0.0", port))
    server.listen(64)
    while True:
        conn, _ = server.accept()
        threading.Thread(target=_serve, args=(conn, fault), daemon=True).start()


def main() -> int:
    for port, fault in PORTS.items():
        threading.Thread(target=_listen, args=(port, fault), daemon=True).start()
    print("ready", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        sys.stdin.read()  # serve until the generator closes our stdin
    return 0


if __name__ == "__main__":
    sys.exit(main())
