// swift-tools-version: 6.1
import PackageDescription

let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "Outpost",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "outpost-agent", targets: ["outpost-agent"]),
        .executable(name: "outpost-collector", targets: ["outpost-collector"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/LebJe/TOMLKit.git", from: "0.6.0"),
        // No default traits: the collector configures Hummingbird in code (no swift-configuration).
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        // bcrypt for operators' passwords.
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        // Child processes of the tests (Tests/OutpostTestSupport).
        .package(url: "https://github.com/swiftlang/swift-subprocess.git", from: "1.0.2"),
        // The device inventory's CSV import (OutpostCollector/Inventory).
        .package(url: "https://github.com/swiftcsv/SwiftCSV.git", from: "0.10.0"),
        // The web console's HTML templates (OutpostConsole).
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        // The legacy WARD OPS database (SQLite), read by the importer (OutpostLegacy).
        .package(url: "https://github.com/vapor/sqlite-nio.git", from: "1.13.2"),
    ],
    targets: [
        // Shared vocabulary: identifiers, result records, config snapshot types, errors.
        .target(name: "OutpostCore", swiftSettings: strict),
        // Alert-rule language (parser, compiler, evaluator) and cron schedules: collector side only.
        .target(name: "OutpostRules", swiftSettings: strict),
        // Framing, message codec, batch signing and verification. No sockets.
        .target(
            name: "OutpostWire",
            dependencies: [
                "OutpostCore",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        // CA, CSR, issuance, renewal, revocation, fingerprints.
        .target(
            name: "OutpostPKI",
            dependencies: [
                "OutpostCore",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        // Program configuration: TOML file, environment variables and flags, validated.
        .target(
            name: "OutpostSettings",
            dependencies: [.product(name: "TOMLKit", package: "TOMLKit")],
            swiftSettings: strict
        ),
        // net-snmp (Debian libsnmp-dev) as a system library.
        .systemLibrary(name: "CNetSNMP", providers: [.apt(["libsnmp-dev"])]),
        // NIO plumbing shared by agent and collector: frame codec, and the TLS configurations of
        // the uplink, the agent listener and both ends of enrolment.
        .target(
            name: "OutpostTransport",
            dependencies: [
                "OutpostWire",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
            ],
            swiftSettings: strict
        ),
        // sendmmsg/recvmmsg, which Swift's Glibc module hides (no _GNU_SOURCE).
        .target(name: "CSocketBatch"),
        // ICMP engine, SNMP client, traceroute/MTR, discovery sweeper.
        .target(
            name: "OutpostProbes",
            dependencies: [
                "OutpostCore",
                "CNetSNMP",
                "CSocketBatch",
                .product(name: "HeapModule", package: "swift-collections"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // Scheduler, spool, uplink, offline config cache.
        .target(
            name: "OutpostAgent",
            dependencies: [
                "OutpostSettings",
                "OutpostCore", "OutpostWire", "OutpostPKI", "OutpostProbes", "OutpostTransport",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // Migrations and built-in templates (Resources/, embedded at build time), Postgres access,
        // COPY writers.
        .target(
            name: "OutpostStore",
            dependencies: [
                "OutpostCore", "OutpostRules",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["Resources"],
            swiftSettings: strict,
            plugins: ["EmbedResources"]
        ),
        // Build-time embedding of a target's Resources/ files as text, so that no resource bundle
        // has to be installed beside the binaries.
        .plugin(name: "EmbedResources", capability: .buildTool(), dependencies: ["EmbedResourcesTool"]),
        // The generator the EmbedResources plugin runs.
        .executableTarget(name: "EmbedResourcesTool", path: "Plugins/EmbedResourcesTool", swiftSettings: strict),
        // The web console's presentation: Mustache templates, page models, SVG charts and map,
        // and the static files (style, script, font, map outline), embedded at build time.
        .target(
            name: "OutpostConsole",
            dependencies: [
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            exclude: ["Resources"],
            swiftSettings: strict,
            plugins: ["EmbedResources"]
        ),
        // mTLS server, sessions, ingest, config distribution, jobs, alerts, management API, console.
        .target(
            name: "OutpostCollector",
            dependencies: [
                "OutpostSettings",
                "OutpostCore", "OutpostRules", "OutpostWire", "OutpostPKI", "OutpostStore", "OutpostTransport",
                "OutpostConsole",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "SwiftCSV", package: "SwiftCSV"),
            ],
            swiftSettings: strict
        ),
        // The legacy WARD OPS importer: SQLite and PostgreSQL readers, Fernet, the mapping onto
        // Outpost's tables, the verification report.
        .target(
            name: "OutpostLegacy",
            dependencies: [
                "OutpostCore", "OutpostRules", "OutpostStore", "OutpostPKI",
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // The agent program: enrol, run, status, probe.
        .executableTarget(
            name: "outpost-agent",
            dependencies: [
                "OutpostAgent", "OutpostCore", "OutpostPKI", "OutpostProbes",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        // The collector program: run, migrate, status, and administration (CA, tokens, branches, templates, alerts).
        .executableTarget(
            name: "outpost-collector",
            dependencies: [
                "OutpostCollector", "OutpostStore", "OutpostPKI", "OutpostSettings", "OutpostCore", "OutpostLegacy",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // Crash-test helper: appends to a spool until killed (Tests/OutpostAgentTests kill -9 it).
        .executableTarget(
            name: "spool-stress",
            dependencies: ["OutpostAgent", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),

        // The tests' kit: real peers (databases on the test cluster and private clusters, snmpd,
        // network namespaces, child processes), what the machine provides (conditions, tags),
        // polling, seeded randomness, free ports, openssl.
        .target(
            name: "OutpostTestSupport",
            dependencies: [
                "OutpostStore", "OutpostProbes", "OutpostPKI", "OutpostCore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Subprocess", package: "swift-subprocess"),
            ],
            path: "Tests/OutpostTestSupport",
            swiftSettings: strict
        ),
        // Collector fixtures shared by its unit tests and the integration tests (enrolment, HTTP,
        // credentials, ingest pipeline); internal, imported with @testable.
        .target(
            name: "OutpostCollectorTestSupport",
            dependencies: [
                "OutpostTestSupport", "OutpostCollector", "OutpostCore", "OutpostPKI", "OutpostStore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/OutpostCollectorTestSupport",
            swiftSettings: strict
        ),
        // Framing, codec, signing; conformance vectors.
        .testTarget(
            name: "OutpostWireTests",
            dependencies: [
                "OutpostWire", "OutpostCore", "OutpostTestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            exclude: ["Conformance"],
            swiftSettings: strict
        ),
        // CA, issuance, renewal, revocation, and NIOSSL handshakes with issued certificates.
        .testTarget(
            name: "OutpostPKITests",
            dependencies: [
                "OutpostPKI", "OutpostCore", "OutpostTestSupport",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        // Shared vocabulary: sequence windows, log-safe text.
        .testTarget(
            name: "OutpostCoreTests",
            dependencies: [
                "OutpostCore"
            ],
            swiftSettings: strict
        ),
        // Alert-rule parsing, evaluation and errors; cron schedules.
        .testTarget(
            name: "OutpostRulesTests",
            dependencies: [
                "OutpostRules", "OutpostTestSupport",
            ],
            swiftSettings: strict
        ),
        // TOML, environment and flag settings.
        .testTarget(
            name: "OutpostSettingsTests",
            dependencies: [
                "OutpostSettings"
            ],
            swiftSettings: strict
        ),
        // The console's presentation without a server: charts, the map's projection and layout, assets.
        .testTarget(name: "OutpostConsoleTests", dependencies: ["OutpostConsole"], swiftSettings: strict),
        // ICMP, SNMP, traceroute and discovery against real peers.
        .testTarget(
            name: "OutpostProbesTests",
            dependencies: [
                "OutpostProbes", "OutpostCore", "OutpostTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // Scheduler, spool (with kill -9 of spool-stress), uplink pieces, metrics.
        .testTarget(
            name: "OutpostAgentTests",
            dependencies: [
                "OutpostAgent", "OutpostCore", "OutpostPKI", "OutpostSettings", "OutpostWire", "OutpostTestSupport",
                "spool-stress", "outpost-agent", "OutpostProbes",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
            ],
            swiftSettings: strict
        ),
        // Migrations, stores and COPY writers against a throwaway PostgreSQL.
        .testTarget(
            name: "OutpostStoreTests",
            dependencies: [
                "OutpostStore", "OutpostCore", "OutpostTestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: strict
        ),
        // The collector's own tests; the commands of its binary run as a child process.
        .testTarget(
            name: "OutpostCollectorTests",
            dependencies: [
                "OutpostCollector", "OutpostCollectorTestSupport", "OutpostTestSupport", "OutpostAgent", "OutpostCore",
                "OutpostPKI", "OutpostSettings", "OutpostStore", "OutpostWire", "outpost-collector", "OutpostLegacy",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: strict
        ),
        // Agent and collector together over mutual TLS, and the collector's binary killed and
        // restarted (CrashSafety): slower, with real sessions, spools and child processes.
        .testTarget(
            name: "OutpostIntegrationTests",
            dependencies: [
                "OutpostAgent", "OutpostCollector", "OutpostCollectorTestSupport", "OutpostTestSupport", "OutpostCore",
                "OutpostPKI", "OutpostProbes", "OutpostStore", "OutpostTransport", "OutpostWire", "outpost-collector",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
    ]
)

// The benchmarks exist only for `scripts/benchmarks` and BENCHMARKS.md (OUTPOST_BENCHMARKS=1),
// so that `swift build` and the tests do not build them. Run in release:
// `OUTPOST_BENCHMARKS=1 swift build -c release --product <name>`.
if Context.environment["OUTPOST_BENCHMARKS"] == "1" {
    package.targets += [
        // Encoding, signing and verification throughput of batches.
        .executableTarget(
            name: "WireCodec",
            dependencies: ["OutpostWire", "OutpostCore", .product(name: "Crypto", package: "swift-crypto")],
            path: "Benchmarks/WireCodec",
            swiftSettings: strict
        ),
        // ICMP engine beside fping on the same loopback targets.
        .executableTarget(
            name: "ICMPBench",
            dependencies: ["OutpostProbes", "OutpostCore", .product(name: "Logging", package: "swift-log")],
            path: "Benchmarks/ICMPBench",
            swiftSettings: strict
        ),
        // SNMP engine beside snmpbulkwalk against the same local snmpd.
        .executableTarget(
            name: "SNMPBench",
            dependencies: ["OutpostProbes", "OutpostCore"],
            path: "Benchmarks/SNMPBench",
            swiftSettings: strict
        ),
        // IngestWriter throughput beside psql \copy of the same rows.
        .executableTarget(
            name: "IngestBench",
            dependencies: [
                "OutpostStore", "OutpostCore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/IngestBench",
            swiftSettings: strict
        ),
        // End-to-end ingest from simulated agents over mutual TLS.
        .executableTarget(
            name: "IngestMTLSBench",
            dependencies: [
                "OutpostCollector", "OutpostAgent", "OutpostTransport", "OutpostStore", "OutpostPKI", "OutpostWire",
                "OutpostCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/IngestMTLSBench",
            swiftSettings: strict
        ),
        // History chart and summary queries at the legacy's scale, roll-up throughput.
        .executableTarget(
            name: "HistoryBench",
            dependencies: [
                "OutpostStore", "OutpostCore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/HistoryBench",
            swiftSettings: strict
        ),
        // A month's availability report at the legacy's scale.
        .executableTarget(
            name: "ReportBench",
            dependencies: [
                "OutpostStore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/ReportBench",
            swiftSettings: strict
        ),
        // Anomaly-rule precision and recall on synthetic series, and the baseline job's cost.
        .executableTarget(
            name: "BaselineBench",
            dependencies: [
                "OutpostStore", "OutpostRules",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/BaselineBench",
            swiftSettings: strict
        ),
        // Trace engine beside traceroute and mtr on a namespace router chain.
        .executableTarget(
            name: "TraceBench",
            dependencies: ["OutpostProbes", .product(name: "Logging", package: "swift-log")],
            path: "Benchmarks/TraceBench",
            swiftSettings: strict
        ),
        // The agent's item poller on interface tables of many devices, beside snmpbulkwalk.
        .executableTarget(
            name: "InterfacesBench",
            dependencies: ["OutpostProbes", "OutpostCore", .product(name: "Logging", package: "swift-log")],
            path: "Benchmarks/InterfacesBench",
            swiftSettings: strict
        ),
        // Agent spool append and replay throughput.
        .executableTarget(
            name: "SpoolBench",
            dependencies: ["OutpostAgent", .product(name: "Logging", package: "swift-log")],
            path: "Benchmarks/SpoolBench",
            swiftSettings: strict
        ),
    ]
}

// The libFuzzer targets exist only for `scripts/fuzz-wire.sh` (OUTPOST_FUZZ=1): WireFuzz reaches
// the batch decoder through `@testable import`, which a release build of the package would
// refuse; SessionFuzz drives the session's checks with signed batches of fuzzed values.
if Context.environment["OUTPOST_FUZZ"] == "1" {
    package.targets.append(.target(name: "FuzzDriver", path: "Fuzz/FuzzDriver", swiftSettings: strict))
    package.targets.append(
        .executableTarget(
            name: "WireFuzz",
            dependencies: ["FuzzDriver", "OutpostWire", .product(name: "Crypto", package: "swift-crypto")],
            path: "Fuzz/WireFuzz",
            exclude: ["Seeds"],
            swiftSettings: strict
        ))
    package.targets.append(
        .executableTarget(
            name: "SessionFuzz",
            dependencies: [
                "FuzzDriver", "OutpostWire", "OutpostCore", .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Fuzz/SessionFuzz",
            exclude: ["Seeds"],
            swiftSettings: strict
        ))
}
