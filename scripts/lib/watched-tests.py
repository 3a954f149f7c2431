#!/usr/bin/env python3
"""Runs the Swift Testing binary with a deadline, so a hung test fails CI with a diagnosis
instead of running into CI's own time limit with nothing to show.

    watched-tests.py SECONDS EVENTS_FILE TEST_BINARY [ARGUMENTS...]

The binary writes Swift Testing's JSON event stream to EVENTS_FILE. When the run outlives
SECONDS, this prints the tests that started and never ended (with how long they have been
running), then every thread's backtrace through gdb, kills the run with everything it
started (its own process group) and deletes the network namespaces it left (named by its pid,
see TestNetwork.uniqueTag). Exit status: the binary's, or 124 after a hang.
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import time


def still_running(events_path):
    """(seconds running, name) of every test and suite started and not ended, longest first."""
    names, started = {}, {}
    with open(events_path, encoding="utf-8", errors="replace") as events:
        for line in events:
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue  # a line cut short by the kill
            payload = record.get("payload", {})
            if record.get("kind") == "test":
                names[payload["id"]] = payload.get("displayName") or payload.get("name") or payload["id"]
                continue
            kind, test = payload.get("kind"), payload.get("testID")
            if kind == "testStarted":
                started[test] = payload["instant"]["since1970"]
            elif kind == "testEnded":
                started.pop(test, None)
    now = time.time()
    return sorted(((now - since, names.get(test, test)) for test, since in started.items()), reverse=True)


def report_hang(pid, events_path, seconds):
    print(f"\n==> the test run did not end within {seconds:.0f} s: tests still running", flush=True)
    running = still_running(events_path) if os.path.exists(events_path) else []
    for elapsed, name in running:
        print(f"    {elapsed:7.0f} s  {name}", flush=True)
    gdb = shutil.which("gdb")
    if gdb is None:
        print("==> gdb is not installed: no thread backtraces", flush=True)
        return
    print(f"==> backtraces of the test process ({pid})", flush=True)
    try:
        subprocess.run([gdb, "-p", str(pid), "-batch", "-nx", "-ex", "set pagination off",
                        "-ex", "thread apply all bt 40"],
                       stdin=subprocess.DEVNULL, timeout=300, check=False)
    except subprocess.TimeoutExpired:
        print("==> gdb did not finish within 300 s", flush=True)
    # Repeated at the end, where a truncated log still shows it.
    print("==> hung tests (as above): " + "; ".join(name for _, name in running), flush=True)


def remove_namespaces(pid):
    """Deletes the test namespaces of process `pid` (with their veth pairs)."""
    prefix = f"opicmp-{pid % 100000}x"
    listing = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True, check=False).stdout
    for line in listing.splitlines():
        name = line.split(" ")[0]
        if name.startswith(prefix):
            subprocess.run(["ip", "netns", "del", name], check=False)


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    seconds, events_path, command = float(sys.argv[1]), sys.argv[2], sys.argv[3:]
    if os.path.exists(events_path):
        os.unlink(events_path)
    test_run = subprocess.Popen(
        command + ["--event-stream-output-path", events_path, "--event-stream-version", "0"],
        start_new_session=True)

    def forward(signum, _frame):
        os.killpg(test_run.pid, signum)
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, forward)
    try:
        return test_run.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        report_hang(test_run.pid, events_path, seconds)
        os.killpg(test_run.pid, signal.SIGKILL)
        test_run.wait()
        remove_namespaces(test_run.pid)
        return 124


if __name__ == "__main__":
    sys.exit(main())
