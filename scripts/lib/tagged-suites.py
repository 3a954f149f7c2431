#!/usr/bin/env python3
"""Prints the ids of the suites carrying a Swift Testing tag, one per line.

    tagged-suites.py TEST_BINARY TAG

This toolchain's Swift Testing selects tests by regular expressions of their ids only (a
`--filter tag:NAME` matches nothing), so the suites are read from the tags the binary itself
reports: `--list-tests` with an event stream gives every suite with its tags (`_tags`, e.g.
".timing"). The tags are declared once, in Tests/OutpostTestSupport/Harness/Tags.swift.
"""
import json
import os
import subprocess
import sys
import tempfile


def main():
    binary, tag = sys.argv[1], "." + sys.argv[2].lstrip(".")
    with tempfile.TemporaryDirectory() as directory:
        events = os.path.join(directory, "tests.jsonl")
        subprocess.run([binary, "--testing-library", "swift-testing", "--list-tests",
                        "--event-stream-output-path", events, "--event-stream-version", "0"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        suites = set()
        with open(events, encoding="utf-8") as stream:
            for line in stream:
                record = json.loads(line)
                payload = record.get("payload", {})
                if record.get("kind") == "test" and payload.get("kind") == "suite" and tag in payload.get("_tags", []):
                    suites.add(payload["id"])
    for suite in sorted(suites):
        print(suite)


if __name__ == "__main__":
    main()
