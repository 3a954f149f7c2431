#!/usr/bin/python3
"""Hostile clients against the collector's agent port, for scripts/fault-suite.

    garbage-clients.py HOST PORT CONNECTIONS CERT KEY CA

Opens CONNECTIONS TCP connections, 100 at a time, each doing one of: random bytes, a truncated
TLS ClientHello, connect-and-close, connect-and-hold for a second. Then, over real mutual TLS
with an enrolled agent's certificate, sends malformed Outpost frames (wrong version byte,
unknown type, oversized length, truncated payload, random payloads of every message type).
Prints one summary line; exits 0 unless the port refused plain TCP connections (the collector
is down), which the suite reports as a failure.
"""
import os
import random
import socket
import ssl
import struct
import sys
import threading
import time

host, port, connections = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
cert, key, ca = sys.argv[4], sys.argv[5], sys.argv[6]
refused = 0
lock = threading.Lock()


def hostile(index):
    global refused
    try:
        with socket.create_connection((host, port), timeout=5) as sock:
            kind = index % 4
            if kind == 0:
                sock.sendall(os.urandom(random.randint(1, 8192)))
            elif kind == 1:
                # TLS record header + ClientHello start, declaring far more than is sent.
                sock.sendall(b"\x16\x03\x01\x40\x00\x01\x00\x3f\xfc\x03\x03" + os.urandom(64))
            elif kind == 3:
                time.sleep(1)
    except ConnectionRefusedError:
        with lock:
            refused += 1
    except OSError:
        pass  # reset by the collector: what it should do


def malformed_frames():
    """Frames over an authenticated session; returns how many sessions were opened."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.load_verify_locations(ca)
    context.load_cert_chain(cert, key)
    frames = [
        b"\x07\x01\x00\x00\x00\x00",                          # unknown protocol version
        b"\x01\xee\x00\x00\x00\x04abcd",                      # unknown message type
        b"\x01\x10\xff\xff\xff\xff",                          # oversized length
        b"\x01\x01\x00\x00\x10\x00" + os.urandom(100),        # truncated hello
    ] + [struct.pack(">BBI", 1, kind, 512) + os.urandom(512) for kind in (0x01, 0x03, 0x10, 0x31, 0x32, 0x40)]
    opened = 0
    for frame in frames:
        try:
            with socket.create_connection((host, port), timeout=5) as raw:
                with context.wrap_socket(raw, server_hostname="localhost") as tls:
                    opened += 1
                    tls.sendall(frame)
                    tls.settimeout(2)
                    try:
                        tls.recv(4096)
                    except (OSError, ssl.SSLError):
                        pass
        except (OSError, ssl.SSLError):
            pass
    return opened


started = time.monotonic()
for first in range(0, connections, 100):
    threads = [threading.Thread(target=hostile, args=(i,)) for i in range(first, min(first + 100, connections))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
sessions = malformed_frames()
print(f"garbage: {connections} hostile connections ({refused} refused) and {sessions} mTLS sessions with malformed frames "
      f"in {time.monotonic() - started:.1f} s")
sys.exit(1 if refused else 0)
