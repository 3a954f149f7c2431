#!/usr/bin/env python3
"""Checks that deploy/grafana's dashboards and deploy/prometheus's rules name only metrics the
collector really exports, and that both are well formed.

    dashboard-metrics.py DEPLOY-DIR METRICS-FILE...

Each METRICS-FILE is a /metrics scrape of a running collector (Prometheus text); a metric counts
as exported when any of them has it (histograms: NAME_bucket, NAME_sum, NAME_count). Prints one
line per dashboard and rule file, and exits 1 naming every unknown metric or malformed entry.
"""
import glob
import json
import os
import re
import sys

import yaml

NAME = re.compile(r"\boutpost_[a-z0-9_]+\b")
# Names Prometheus itself provides (`up`) need no check; only outpost_* names are ours.


def exported(paths):
    names = set()
    for path in paths:
        with open(path, encoding="utf-8") as scrape:
            for line in scrape:
                line = line.strip()
                if not line:
                    continue
                if line.startswith("# TYPE "):
                    names.add(line.split()[2])
                    continue
                if line.startswith("#"):
                    continue
                name = re.split(r"[{ ]", line, maxsplit=1)[0]
                names.add(name)
                for suffix in ("_bucket", "_sum", "_count"):
                    if name.endswith(suffix):
                        names.add(name[: -len(suffix)])
    return names


def dashboard_queries(path, problems):
    with open(path, encoding="utf-8") as source:
        board = json.load(source)
    for key in ("uid", "title", "panels"):
        if key not in board:
            problems.append(f"{path}: no {key}")
    queries = []
    for panel in board.get("panels", []):
        if panel.get("type") == "row":
            continue
        targets = panel.get("targets") or []
        if not targets:
            problems.append(f"{path}: panel {panel.get('title')!r} has no query")
        for target in targets:
            if not target.get("expr"):
                problems.append(f"{path}: panel {panel.get('title')!r} has a target without expr")
            queries.append((panel.get("title"), target.get("expr", "")))
    for variable in board.get("templating", {}).get("list", []):
        query = variable.get("query")
        if isinstance(query, dict):
            query = query.get("query", "")
        if variable.get("type") == "query":
            queries.append((f"variable {variable.get('name')}", query or ""))
    return queries


def rule_queries(path, problems):
    with open(path, encoding="utf-8") as source:
        document = yaml.safe_load(source)
    queries = []
    if "groups" not in document:
        return queries  # the scrape configuration
    for group in document["groups"]:
        for rule in group.get("rules", []):
            name = rule.get("alert") or rule.get("record")
            if not name or not rule.get("expr"):
                problems.append(f"{path}: a rule without a name or expr in group {group.get('name')}")
                continue
            if rule.get("alert") and rule.get("labels", {}).get("severity") not in ("critical", "warning"):
                problems.append(f"{path}: alert {name} has no severity label critical or warning")
            queries.append((name, rule["expr"]))
    return queries


def main():
    deploy, scrapes = sys.argv[1], sys.argv[2:]
    names = exported(scrapes)
    problems = []
    files = sorted(glob.glob(os.path.join(deploy, "grafana", "*.json")))
    files += sorted(glob.glob(os.path.join(deploy, "prometheus", "*.yml")))
    if not files:
        problems.append(f"no dashboards or rules under {deploy}")
    for path in files:
        queries = dashboard_queries(path, problems) if path.endswith(".json") else rule_queries(path, problems)
        used = set()
        for where, expr in queries:
            for name in NAME.findall(expr):
                used.add(name)
                if name not in names:
                    problems.append(f"{path}: {where}: {name} is not exported by the collector")
        print(f"{os.path.basename(path)}: {len(queries)} queries, {len(used)} metrics")
    for problem in problems:
        print(f"PROBLEM {problem}", file=sys.stderr)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
