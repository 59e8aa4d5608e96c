"""Fault servers for the tool zoo: real clients meet real network failures.

Run inside a network namespace of its own (see `generate.py`), one address per
fault, on port 80 as a registry's web server would be (443 for the TLS fault). The
addresses are from TEST-NET-3 (203.0.113.0/24, RFC 5737): public in shape, so the
messages read as they would for a registry, never as a loopback or private service.

| address | fault |
|---|---|
| 203.0.113.1 | HTTP 503 Service Unavailable |
| 203.0.113.2 | HTTP 429 Too Many Requests, `Retry-After: 1` |
| 203.0.113.3 | HTTP 500 Internal Server Error |
| 203.0.113.4 | HTTP 502 Bad Gateway |
| 203.0.113.5 | the connection is reset once the request has arrived |
| 203.0.113.6 | the request is read and never answered |
| 203.0.113.7:443 | a TLS client gets plain bytes back (handshake failure) |
| 203.0.113.8 | HTTP 200 whose body stops short of its Content-Length |
| 203.0.113.9 | nothing listens (connection refused) |

Standard library only.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import sys
import threading
import time

NETWORK = "203.0.113"
FAULTS = {
    1: "503",
    2: "429",
    3: "500",
    4: "502",
    5: "reset",
    6: "silent",
    7: "not-tls",
    8: "short-body",
}
REFUSED = 9  # an address of the namespace where nothing listens
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


def _listen(address: str, fault: str) -> None:
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind((address, 443 if fault == "not-tls" else 80))
    server.listen(64)
    while True:
        conn, _ = server.accept()
        threading.Thread(target=_serve, args=(conn, fault), daemon=True).start()


def main() -> int:
    for host, fault in FAULTS.items():
        address = f"{NETWORK}.{host}"
        threading.Thread(target=_listen, args=(address, fault), daemon=True).start()
    print("ready", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        sys.stdin.read()  # serve until the generator closes our stdin
    return 0


if __name__ == "__main__":
    sys.exit(main())
