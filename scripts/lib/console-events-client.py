#!/usr/bin/env python3
"""Console live-update load: CLIENTS Server-Sent Event streams on one collector's
/console/events, its CPU while nothing changes, and the fan-out latency of changes.

  console-events-client.py HOST PORT PID CLIENTS SECONDS EVENTS PSQL DATABASE-URL DEVICE-ID

The API token is read from stdin (never argv). Opens CLIENTS streams and waits for every
`hello`; samples the collector's CPU time (/proc/PID/stat) over SECONDS with the streams open
and nothing changing; then, EVENTS times, flips DEVICE-ID's down_since with psql (after taking
PostgreSQL's clock, the same host clock) and waits for the `change` event on every stream.
Prints one line: cpu_percent idle_change_events keepalives p50_ms p99_ms max_ms.
"""
import asyncio
import os
import subprocess
import sys
import time


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Stream:
    def __init__(self):
        self.changes = []  # (arrival time, data)
        self.keepalives = 0
        self.hello = asyncio.Event()
        self.changed = asyncio.Event()

    async def run(self, host, port, token):
        reader, writer = await asyncio.open_connection(host, port)
        writer.write(f"GET /console/events HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: text/event-stream\r\n"
                     f"Authorization: Bearer {token}\r\n\r\n".encode())
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        if b" 200 " not in head.split(b"\r\n", 1)[0]:
            raise SystemExit(f"console-events-client: {head.decode(errors='replace')}")
        text = ""
        while True:
            size_line = await reader.readline()
            if not size_line:
                return
            size = int(size_line.strip(), 16)
            chunk = await reader.readexactly(size + 2)
            arrived = time.time()
            if size == 0:
                return
            text += chunk[:-2].decode()
            while "\n\n" in text:
                block, text = text.split("\n\n", 1)
                lines = block.split("\n")
                name = next((l[7:] for l in lines if l.startswith("event: ")), None)
                if any(l.startswith(":") for l in lines):
                    self.keepalives += 1
                if name == "hello":
                    self.hello.set()
                elif name == "change":
                    self.changes.append((arrived, next(l[6:] for l in lines if l.startswith("data: "))))
                    self.changed.set()


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


async def main():
    host, port, pid, clients, seconds, events, psql, database_url, device = sys.argv[1:10]
    token = sys.stdin.readline().strip()
    streams = [Stream() for _ in range(int(clients))]
    tasks = [asyncio.create_task(s.run(host, int(port), token)) for s in streams]
    await asyncio.wait_for(asyncio.gather(*(s.hello.wait() for s in streams)), 30)

    before = cpu_seconds(pid)
    started = time.monotonic()
    await asyncio.sleep(float(seconds))
    cpu_percent = 100 * (cpu_seconds(pid) - before) / (time.monotonic() - started)
    idle_changes = sum(len(s.changes) for s in streams)
    keepalives = sum(s.keepalives for s in streams)

    latencies = []
    for _ in range(int(events)):
        for s in streams:
            s.changed.clear()
            s.changes.clear()
        sql = ("SELECT extract(epoch FROM clock_timestamp());\n"
               f"UPDATE standalone_devices SET down_since = CASE WHEN down_since IS NULL THEN now() END "
               f"WHERE id = '{device}';\n")
        out = await asyncio.to_thread(subprocess.run, [psql, database_url, "-Atq", "-v", "ON_ERROR_STOP=1"],
                                      input=sql, capture_output=True, text=True, check=True)
        sent = float(out.stdout.split()[0])
        await asyncio.wait_for(asyncio.gather(*(s.changed.wait() for s in streams)), 10)
        latencies += [1000 * (s.changes[0][0] - sent) for s in streams]
        await asyncio.sleep(0.2)
    for task in tasks:
        task.cancel()
    print(f"{cpu_percent:.2f} {idle_changes} {keepalives} {percentile(latencies, 0.5):.1f} "
          f"{percentile(latencies, 0.99):.1f} {max(latencies):.1f}")


asyncio.run(main())
