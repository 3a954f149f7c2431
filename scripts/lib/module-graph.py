#!/usr/bin/env python3
"""Checks Package.swift against the code and the design's module rules, and prints the graph.

Reads `swift package dump-package` (JSON) from stdin. For every target it compares the modules
its Swift files import with the dependencies Package.swift declares: each import must be
declared, and each declared library must be imported (an executable dependency is allowed
unimported: tests depend on a binary to have it built). Then it checks the rules of
docs/architecture.md, "Module graph": the agent never links the PostgreSQL driver, the store,
the rule language or the collector; the collector never links net-snmp or the probes.

    swift package dump-package | scripts/lib/module-graph.py [--print]

Exits 1 with one line per problem; --print also prints each target and what it imports.
"""
import json
import pathlib
import re
import sys

# Modules of the toolchain and the system: imported freely, never declared.
SYSTEM = {"Foundation", "FoundationEssentials", "Glibc", "Darwin", "Dispatch", "Synchronization",
          "FoundationNetworking", "Testing", "XCTest", "_Concurrency", "Musl", "Android", "os"}
# Products whose modules are named otherwise than the product, or that bring more than one.
PRODUCT_MODULES = {"Metrics": {"Metrics", "CoreMetrics"}}
IMPORT = re.compile(r"^\s*(?:@testable\s+|@_spi\(\w+\)\s+)?(?:public\s+|internal\s+|package\s+|private\s+)?"
                    r"import\s+(?:struct\s+|class\s+|enum\s+|protocol\s+|func\s+|var\s+|let\s+|typealias\s+)?"
                    r"([A-Za-z_][A-Za-z0-9_]*)", re.M)
# The design's prohibitions: target -> modules that must not be in its dependency closure.
FORBIDDEN = {
    "outpost-agent": {"PostgresNIO", "OutpostStore", "OutpostRules", "OutpostCollector", "Hummingbird"},
    "outpost-collector": {"CNetSNMP", "OutpostProbes", "OutpostAgent"},
}


def default_path(target):
    kind = target["type"]
    if target.get("path"):
        return target["path"]
    return ("Tests/" if kind == "test" else "Sources/") + target["name"]


def main():
    package = json.load(sys.stdin)
    targets = {t["name"]: t for t in package["targets"]}
    problems = []
    declared = {}
    for name, target in targets.items():
        deps = set()
        for dependency in target["dependencies"]:
            (kind, value), = dependency.items()
            deps.add(value[0])
        declared[name] = deps
        # What the declared dependencies let a file import, by module name.
        importable = {}
        for dependency in deps:
            modules = PRODUCT_MODULES.get(dependency, {dependency.replace("-", "_")})
            for module in modules:
                importable[module] = dependency
        if target["type"] == "system":
            continue
        root = pathlib.Path(default_path(target))
        excluded = [root / e for e in target.get("exclude", [])]
        imported = set()
        for source in root.rglob("*.swift"):
            if any(source.is_relative_to(e) for e in excluded):
                continue
            imported.update(IMPORT.findall(source.read_text()))
        imported -= SYSTEM
        imported.discard(name)
        for module in sorted(imported - importable.keys()):
            problems.append(f"{name}: imports {module}, which Package.swift does not declare")
        used = {importable[module] for module in imported if module in importable}
        for dependency in sorted(deps - used):
            if targets.get(dependency, {}).get("type") == "executable":
                continue
            problems.append(f"{name}: declares {dependency}, which none of its files imports")
        if "--print" in sys.argv:
            ours = sorted(d for d in deps if d in targets)
            theirs = sorted(d for d in deps if d not in targets)
            print(f"{name:28} {', '.join(ours) or '—'}" + (f"  [{', '.join(theirs)}]" if theirs else ""))

    def closure(name, seen):
        for dependency in declared.get(name, ()):
            if dependency not in seen:
                seen.add(dependency)
                closure(dependency, seen)
        return seen

    for name, forbidden in FORBIDDEN.items():
        for module in sorted(closure(name, set()) & forbidden):
            problems.append(f"{name}: links {module}, which docs/architecture.md forbids")
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
