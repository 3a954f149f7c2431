#!/usr/bin/python3
"""Hostile clients of the collector for scripts/fault-suite, written from docs/protocol.md.

    hostile-agent.py flood HOST PORT CONNECTIONS SECONDS
        Opens CONNECTIONS idle TCP connections, prints "holding" once they are open, holds them
        SECONDS and prints how many the collector closed.
    hostile-agent.py batch HOST PORT CERT KEY CA AGENT SEQUENCE DEVICE DEVICE-IP
        Over mutual TLS with an enrolled agent's certificate, sends Hello and one batch signed
        with the agent's key, holding one ping round of DEVICE at DEVICE-IP; prints the answer:
        "ack SEQUENCE" or "nack SEQUENCE REASON DETAIL".
"""
import os
import socket
import ssl
import struct
import sys
import time
import uuid

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

# The primitives of the independent encoder the conformance tests compare the Swift codec with.
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "../../Tests/OutpostWireTests/Conformance"))
from reference_encoder import blob, frame, varint, varuint  # noqa: E402


def read_varuint(data, at):
    value = shift = 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, at


def flood(host, port, count, seconds):
    sockets = []
    for _ in range(count):
        try:
            sockets.append(socket.create_connection((host, port), timeout=5))
        except OSError:
            pass
    print("holding", flush=True)
    deadline = time.monotonic() + seconds
    closed = set()
    while time.monotonic() < deadline:
        for index, sock in enumerate(sockets):
            if index in closed:
                continue
            try:
                if sock.recv(1, socket.MSG_DONTWAIT | socket.MSG_PEEK) == b"":
                    closed.add(index)
            except BlockingIOError:
                pass
            except OSError:
                closed.add(index)
        time.sleep(0.2)
    print(f"flood: {len(sockets)} of {count} connections opened, {len(closed)} closed by the collector within {seconds} s")
    for sock in sockets:
        sock.close()


def signed_batch(key, agent, sequence, device, device_ip):
    now = int(time.time() * 1_000_000)
    batch = uuid.UUID(agent).bytes + varuint(sequence) + varint(now)
    batch += varuint(1) + uuid.UUID(device).bytes + blob(device_ip.encode())
    batch += varint(0) + varint(1) + varint(1)          # timestamp delta, sent, received
    batch += b"\x01" + struct.pack(">d", 0.25)          # min RTT
    batch += b"\x00" * 3                                # avg, max, stddev absent
    batch += varuint(0) + varuint(0)                    # no item samples, no generic results
    r, s = decode_dss_signature(key.sign(b"outpost-batch-v1" + batch, ec.ECDSA(hashes.SHA256())))
    return bytes([1]) + blob(batch) + r.to_bytes(32, "big") + s.to_bytes(32, "big")


def read_frame(tls, buffer):
    while len(buffer) < 6 or len(buffer) < 6 + struct.unpack(">I", buffer[2:6])[0]:
        chunk = tls.recv(65536)
        if not chunk:
            raise EOFError("the collector closed the session")
        buffer += chunk
    length = struct.unpack(">I", buffer[2:6])[0]
    return buffer[1], buffer[6:6 + length], buffer[6 + length:]


def batch(host, port, cert, key_path, ca, agent, sequence, device, device_ip):
    with open(key_path, "rb") as file:
        key = serialization.load_pem_private_key(file.read(), password=None)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.load_verify_locations(ca)
    context.load_cert_chain(cert, key_path)
    with socket.create_connection((host, port), timeout=10) as raw, context.wrap_socket(raw, server_hostname="localhost") as tls:
        tls.settimeout(30)
        tls.sendall(frame(0x01, blob(b"hostile") + varuint(0) + b"\x00" + varuint(0)))
        tls.sendall(frame(0x10, signed_batch(key, agent, sequence, device, device_ip)))
        buffer = b""
        while True:
            kind, payload, buffer = read_frame(tls, buffer)
            if kind == 0x11:    # Ack: ranges of (first, extra)
                count, at = read_varuint(payload, 0)
                first, at = read_varuint(payload, at)
                print(f"ack {first}")
                return
            if kind == 0x12:    # Nack: sequence, reason, opt retry, opt detail
                acked, at = read_varuint(payload, 0)
                reason, at = read_varuint(payload, at)
                if payload[at]:
                    _, at = read_varuint(payload, at + 1)
                else:
                    at += 1
                detail = ""
                if payload[at]:
                    length, at = read_varuint(payload, at + 1)
                    detail = payload[at:at + length].decode()
                print(f"nack {acked} {reason} {detail}")
                return
            if kind == 0x04:
                code, at = read_varuint(payload, 0)
                print(f"error {code}")
                return


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    if sys.argv[1] == "flood":
        flood(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]))
    elif sys.argv[1] == "batch":
        batch(sys.argv[2], int(sys.argv[3]), *sys.argv[4:8], int(sys.argv[8]), sys.argv[9], sys.argv[10])
    else:
        sys.exit(__doc__)
