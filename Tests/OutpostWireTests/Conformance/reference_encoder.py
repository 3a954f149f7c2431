#!/usr/bin/env python3
"""An independent encoder written from docs/protocol.md alone (no Swift code consulted).

Prints one line per case, "<name> <hex>", for ConformanceTests.swift to compare byte for byte
with the Swift implementation and to decode.
"""
import struct
import uuid


def varuint(n):
    out = bytearray()
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def varint(n):
    return varuint(((n << 1) ^ (n >> 63)) & 0xFFFFFFFFFFFFFFFF)


def f64(x):
    return struct.pack(">d", x)


def uid(text):
    return uuid.UUID(text).bytes


def blob(data):
    return varuint(len(data)) + data


def string(text):
    return blob(text.encode("utf-8"))


def opt(value, encode):
    return b"\x00" if value is None else b"\x01" + encode(value)


def bitmap(flags):
    out = bytearray((len(flags) + 7) // 8)
    for i, flag in enumerate(flags):
        if flag:
            out[i // 8] |= 1 << (i % 8)
    return bytes(out)


def optional_f64_column(values):
    return bitmap([v is not None for v in values]) + b"".join(f64(v) for v in values if v is not None)


def delta_column(timestamps, base):
    """Each timestamp as a varint difference from the one before it (the first from base)."""
    out = b""
    previous = base
    for timestamp in timestamps:
        out += varint(timestamp - previous)
        previous = timestamp
    return out


def frame(message_type, payload):
    return bytes([1, message_type]) + struct.pack(">I", len(payload)) + payload


AGENT = "6f1c9b43-2d4a-4e7b-9c10-5b7e0c2a9f11"
DEVICE_A = "0b6a1d7e-96a5-4c4c-8d55-1f1e2a3b4c5d"
DEVICE_B = "d2c3b4a5-0011-4223-8445-566778899aab"
ITEM_A = "11111111-2222-4333-8444-555555555555"
ITEM_B = "99999999-8888-4777-8666-555555555555"
JOB = "a0b1c2d3-e4f5-4607-8819-2a3b4c5d6e7f"
T0 = 1_764_000_000_000_000


def batch():
    created = T0 + 240_000_000
    pings = [
        # device, ip, timestamp µs, sent, received, min, avg, max, stddev
        (DEVICE_A, "10.0.0.1", T0, 5, 5, 0.412, 0.5, 0.733, 0.05),
        (DEVICE_B, "2001:db8::7", T0 + 4_000, 5, 0, None, None, None, None),
    ]
    out = uid(AGENT) + varuint(42) + varint(created)
    out += varuint(len(pings))
    out += b"".join(uid(p[0]) for p in pings)
    out += b"".join(string(p[1]) for p in pings)
    out += delta_column([p[2] for p in pings], created)
    out += b"".join(varint(p[3]) for p in pings)
    out += b"".join(varint(p[4]) for p in pings)
    for column in range(5, 9):
        out += optional_f64_column([p[column] for p in pings])

    # item, device, timestamp µs, (tag, encoded value), rate, error
    items = [
        (ITEM_A, DEVICE_A, T0 + 1_000, (3, varuint(2**64 - 1)), 1250.5, None),
        (ITEM_B, DEVICE_A, T0 + 1_000, (6, blob(b"Gi0/1\xff")), None, None),
        (ITEM_A, DEVICE_B, T0 + 2_500, (0, b""), None, "timeout"),
        (ITEM_B, DEVICE_B, T0 + 2_400, (1, varint(-42)), None, None),
        (ITEM_B, DEVICE_B, T0 + 2_400, (12, b""), None, "noSuchInstance"),
    ]
    out += varuint(len(items))
    out += b"".join(uid(i[0]) for i in items)
    out += b"".join(uid(i[1]) for i in items)
    out += delta_column([i[2] for i in items], created)
    out += bytes(i[3][0] for i in items)
    out += b"".join(i[3][1] for i in items)
    out += optional_f64_column([i[4] for i in items])
    out += bitmap([i[5] is not None for i in items])
    out += b"".join(string(i[5]) for i in items if i[5] is not None)

    out += varuint(1) + varuint(2) + blob(b"\x01hop")
    return out


cases = {
    "hello": frame(0x01, string("1.4.2-é") + varuint(300) + opt("sha256:abc", string) + varuint(0)),
    "welcome": frame(0x02, uid(AGENT) + varuint(2**40) + varint(1_764_000_000_123_456)),
    "heartbeat": frame(0x03, varint(T0)),
    # Heartbeat with an agent's health summary: version, RSS, RssAnon, spool bytes, pending,
    # dropped batches, dropped results, rounds overrun, ICMP demand and ceiling (packets/s).
    "heartbeatHealth": frame(0x03, varint(T0) + string("outpost-agent/0.1") + varuint(41_600_000)
                             + varuint(20_000_000) + varuint(3 << 20) + varuint(3) + varuint(2) + varuint(2000)
                             + varuint(1) + varuint(5000) + varuint(2000)),
    "error": frame(0x04, varuint(3) + string("agent revoked")),
    "ack": frame(0x11, varuint(3) + varuint(5) + varuint(2) + varuint(10) + varuint(0) + varuint(2**64 - 2) + varuint(1)),
    "nack": frame(0x12, varuint(9) + varuint(4) + opt(1500, varuint) + opt("batch.ping.packetsReceived: 7 > packetsSent 3", string)),
    "config": frame(0x20, string("v7") + blob(b"{}")),
    "job": frame(0x30, uid(JOB) + varuint(3) + blob(b"\x0a\x00\x00\x01")),
    "jobProgress": frame(0x31, uid(JOB) + varuint(17) + opt(254, varuint) + opt(None, string)),
    "jobResult": frame(0x32, uid(JOB) + bytes([2]) + blob(b"\x00\x01") + opt("timeout", string)),
    "jobCancel": frame(0x33, uid(JOB) + opt("operator", string)),
    "renewRequest": frame(0x40, blob(b"\x30\x82\x01\x0a")),
    "renewResponse": frame(0x41, varuint(2) + blob(b"\x30\x82") + blob(b"\x30")),
    "batch": batch(),
}

if __name__ == "__main__":
    for name, data in cases.items():
        print(name, data.hex())
