import Foundation
import Testing

/// What the machine running the tests provides: `scripts/test` provides everything, a plain
/// `swift test` usually part of it. Suites that need something carry the matching condition
/// trait (``Testing/Trait/needsPostgres`` and the others) and are skipped with a one-line
/// reason where it is missing.
///
/// Under `scripts/test` (`OUTPOST_TEST_HARNESS=1`) a missing need is an error instead of a
/// skip: the full run must never pass by silently running less.
public enum Harness {
    /// One thing a test needs from the machine.
    public struct Need: Sendable {
        /// What a skipped test prints, e.g. "needs PostgreSQL: run scripts/test".
        public let reason: String
        private let check: @Sendable () -> Bool

        init(_ reason: String, _ check: @escaping @Sendable () -> Bool) {
            self.reason = reason
            self.check = check
        }

        /// Whether the machine provides it; throws under `scripts/test` when it does not.
        public func isMet() throws -> Bool {
            if check() { return true }
            if Harness.isFullRun { throw TestEnvironmentError("scripts/test must provide this: \(reason)") }
            return false
        }
    }

    /// Whether `scripts/test` started this process (`OUTPOST_TEST_HARNESS=1`).
    static var isFullRun: Bool { environment("OUTPOST_TEST_HARNESS") == "1" }

    /// The shared PostgreSQL cluster (`OUTPOST_TEST_DATABASE_URL`).
    public static let postgres = Need("needs PostgreSQL (OUTPOST_TEST_DATABASE_URL): run scripts/test") {
        environment("OUTPOST_TEST_DATABASE_URL") != nil
    }

    /// PostgreSQL's binaries, for private clusters a test stops and restarts (`OUTPOST_TEST_PG_BINDIR`).
    public static let postgresBinaries = Need("needs PostgreSQL's binaries (OUTPOST_TEST_PG_BINDIR): run scripts/test")
    {
        environment("OUTPOST_TEST_PG_BINDIR").map { FileManager.default.isExecutableFile(atPath: "\($0)/pg_ctl") }
            ?? false
    }

    /// Root: mounts, raw sockets, files other users own.
    public static let root = Need("needs root") { geteuid() == 0 }

    /// Network namespaces and veth pairs: root and iproute2's `ip`.
    public static let networkNamespaces = Need("needs root, iproute2 and procps for network namespaces") {
        geteuid() == 0 && executable("ip") != nil && executable("sysctl") != nil
    }

    /// net-snmp's `snmpd` and command-line tools (Debian snmpd, snmp).
    /// lldpd with its SNMP subagent (for topology tests).
    public static let lldpd = Need("needs lldpd (apt-get install lldpd)") {
        FileManager.default.isExecutableFile(atPath: "/usr/sbin/lldpd")
    }

    public static let snmpd = Need("needs snmpd and snmpget (apt-get install snmpd snmp)") {
        FileManager.default.isExecutableFile(atPath: "/usr/sbin/snmpd")
            && FileManager.default.isExecutableFile(atPath: "/usr/bin/snmpget")
    }

    /// snmpsim and its recordings (`OUTPOST_SNMPSIM_BIN`, `OUTPOST_SNMPSIM_DATA`).
    public static let snmpsim = Need("needs snmpsim (OUTPOST_SNMPSIM_BIN, OUTPOST_SNMPSIM_DATA): run scripts/test") {
        guard let binary = environment("OUTPOST_SNMPSIM_BIN"), let data = environment("OUTPOST_SNMPSIM_DATA") else {
            return false
        }
        return FileManager.default.isExecutableFile(atPath: binary) && FileManager.default.fileExists(atPath: data)
    }

    /// `fping`, the reference the ICMP engine is compared with.
    public static let fping = Need("needs fping (apt-get install fping)") { executable("fping") != nil }

    /// Where the tests look for tools.
    public static let searchPath = ["/usr/sbin", "/usr/bin", "/sbin", "/bin"]

    /// The absolute path of `tool` in ``searchPath``, if installed.
    public static func executable(_ tool: String) -> String? {
        searchPath.map { "\($0)/\(tool)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The absolute path of `tool`; throws when it is not installed.
    public static func path(of tool: String) throws -> String {
        guard let path = executable(tool) else {
            throw TestEnvironmentError("required tool '\(tool)' is not installed (apt-get install iproute2 fping)")
        }
        return path
    }

    /// The absolute path of `relativePath` in the source checkout (e.g. `"agent/agent.toml.example"`),
    /// found from this source file.
    public static func repositoryFile(_ relativePath: String) -> String {
        URL(fileURLWithPath: #filePath)  // Tests/OutpostTestSupport/Harness/Harness.swift
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(relativePath).path
    }

    static func environment(_ name: String) -> String? {
        ProcessInfo.processInfo.environment[name]
    }
}

extension Trait where Self == ConditionTrait {
    /// Runs only where `need` is met; skipped with its reason otherwise (an error under `scripts/test`).
    public static func needs(_ need: Harness.Need) -> Self {
        .enabled(if: try need.isMet(), Comment(rawValue: need.reason))
    }

    /// Needs the shared PostgreSQL cluster.
    public static var needsPostgres: Self { needs(Harness.postgres) }
    /// Needs PostgreSQL's binaries for a private cluster.
    public static var needsPostgresBinaries: Self { needs(Harness.postgresBinaries) }
    /// Needs root.
    public static var needsRoot: Self { needs(Harness.root) }
    /// Needs network namespaces.
    public static var needsNetworkNamespaces: Self { needs(Harness.networkNamespaces) }
    /// Measures time or reads the host's interface table (tagged ``Testing/Tag/timing``): only
    /// under `scripts/test`, which runs it alone after the other suites. Beside parallel suites
    /// on a small machine it would measure their scheduling delay, or see their interfaces.
    public static var needsQuietMachine: Self {
        .enabled(if: Harness.isFullRun, "measures time: scripts/test runs it alone after the other suites")
    }
    /// Needs snmpd and the net-snmp tools.
    public static var needsSnmpd: Self { needs(Harness.snmpd) }
    /// Needs lldpd.
    public static var needsLLDPD: Self { needs(Harness.lldpd) }
    /// Needs snmpsim and its recordings.
    public static var needsSnmpsim: Self { needs(Harness.snmpsim) }
    /// Needs fping.
    public static var needsFping: Self { needs(Harness.fping) }
}
