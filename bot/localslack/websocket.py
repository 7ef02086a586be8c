"""Just enough WebSocket (RFC 6455) for Socket Mode: handshake, text frames, ping/pong, close.

Slack's Socket Mode sends envelopes as JSON text frames and expects an acknowledgement frame
with the same ``envelope_id``; the emulator does the same over ws:// on 127.0.0.1.
"""

from __future__ import annotations

import base64
import hashlib
import json
import socket
import struct
import threading
from typing import Any

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
OP_TEXT, OP_CLOSE, OP_PING, OP_PONG = 0x1, 0x8, 0x9, 0xA


def accept_key(key: str) -> str:
    return base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()  # noqa: S324


def encode_frame(opcode: int, payload: bytes) -> bytes:
    """A server frame: final, unmasked."""
    header = bytes([0x80 | opcode])
    length = len(payload)
    if length < 126:
        header += bytes([length])
    elif length < 1 << 16:
        header += bytes([126]) + struct.pack("!H", length)
    else:
        header += bytes([127]) + struct.pack("!Q", length)
    return header + payload


def _read_exact(sock: socket.socket, count: int) -> bytes:
    data = b""
    while len(data) < count:
        chunk = sock.recv(count - len(data))
        if not chunk:
            raise ConnectionError("socket closed")
        data += chunk
    return data


def read_frame(sock: socket.socket) -> tuple[int, bytes]:
    first, second = _read_exact(sock, 2)
    opcode, masked, length = first & 0x0F, second & 0x80, second & 0x7F
    if length == 126:
        length = struct.unpack("!H", _read_exact(sock, 2))[0]
    elif length == 127:
        length = struct.unpack("!Q", _read_exact(sock, 8))[0]
    mask = _read_exact(sock, 4) if masked else b"\0\0\0\0"
    payload = bytearray(_read_exact(sock, length))
    for index in range(len(payload)):
        payload[index] ^= mask[index % 4]
    return opcode, bytes(payload)


class SocketSession:
    """One Socket Mode connection from the app."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.acks: dict[str, dict[str, Any]] = {}
        self._changed = threading.Condition()
        self._send_lock = threading.Lock()
        self.open = True

    def send_json(self, data: dict[str, Any]) -> None:
        with self._send_lock:
            self.sock.sendall(encode_frame(OP_TEXT, json.dumps(data).encode()))

    def serve(self) -> None:
        """Read frames until the app closes the connection."""
        self.send_json({"type": "hello", "num_connections": 1, "debug_info": {"host": "local"}})
        try:
            while True:
                opcode, payload = read_frame(self.sock)
                if opcode == OP_PING:
                    with self._send_lock:
                        self.sock.sendall(encode_frame(OP_PONG, payload))
                elif opcode == OP_CLOSE:
                    with self._send_lock:
                        self.sock.sendall(encode_frame(OP_CLOSE, payload[:2]))
                    return
                elif opcode == OP_TEXT:
                    message = json.loads(payload)
                    with self._changed:
                        self.acks[str(message.get("envelope_id"))] = message
                        self._changed.notify_all()
        except (ConnectionError, OSError):
            return
        finally:
            self.open = False

    def wait_ack(self, envelope_id: str, timeout: float = 5.0) -> dict[str, Any]:
        with self._changed:
            if not self._changed.wait_for(lambda: envelope_id in self.acks, timeout=timeout):
                raise AssertionError(f"no acknowledgement of envelope {envelope_id}")
            return self.acks[envelope_id]
