import Foundation
import OutpostProbes

/// A real net-snmp `snmpd` on a unique loopback port, with its own engine ID and state
/// directory, a v2c/v1 community and v3 users at every security level.
public final class SNMPDaemon {
    public static let community = "outpost-ro"
    public static let authPassphrase = "auth-secret-1"
    public static let privPassphrase = "priv-secret-1"
    /// `extraConfiguration` lines that make an agent look like a Cisco Catalyst 2960-X switch
    /// named `sw-branch-7`.
    public static let ciscoSwitch = """
        sysObjectID .1.3.6.1.4.1.9.1.1208
        sysDescr Cisco IOS Software, C2960X Software (C2960X-UNIVERSALK9-M), Version 15.2(7)E4
        sysServices 2
        sysName sw-branch-7
        """
    /// `extraConfiguration` lines that make an agent look like a FortiGate-60F firewall named
    /// `fw-branch-7`.
    public static let fortiGate = """
        sysObjectID .1.3.6.1.4.1.12356.101.1.1
        sysDescr FortiGate-60F v7.2.5
        sysServices 78
        sysName fw-branch-7
        """

    public let host: String
    public let port: UInt16
    public let community: String
    private let directory: URL
    private let process: ChildProcess

    /// Starts snmpd and returns once it answers a real request.
    /// - Parameters:
    ///   - host: the loopback address to listen on (any of 127/8).
    ///   - port: the UDP port; a free one when `nil`.
    ///   - community: the v1/v2c community it accepts (from 127/8, or from anywhere with a launcher).
    ///   - extraConfiguration: further snmpd.conf lines (`sysObjectID …`, `createUser …`).
    ///   - launcher: a command that execs snmpd in place, e.g. `ip netns exec NAME`.
    public init(
        host: String = "127.0.0.1", port: UInt16? = nil, community: String = SNMPDaemon.community,
        extraConfiguration: String = "", launcher: [String] = []
    ) async throws {
        let snmpd = try Command.require("/usr/sbin/snmpd", hint: "apt-get install snmpd")
        _ = try Command.require("/usr/bin/snmpget", hint: "apt-get install snmp")
        self.host = host
        self.community = community
        // A free port may be taken by another process (a test's snmpget, another snmpd) before
        // snmpd binds it: with a port of our choosing, try another one.
        var attempt = 1
        while true {
            let chosen = try port ?? FreePort.udp()
            let directory = try TemporaryDirectory("snmpd").url
            let process = try Self.start(
                snmpd, host: host, port: chosen, community: community, directory: directory,
                extraConfiguration: extraConfiguration, launcher: launcher)
            let address = "\(host):\(chosen)"
            if await Self.waitUntilReady(process, address: address, community: community) {
                self.port = chosen
                self.directory = directory
                self.process = process
                return
            }
            process.send(.kill)
            let log = (try? String(contentsOf: directory.appendingPathComponent("snmpd.log"), encoding: .utf8)) ?? ""
            try? FileManager.default.removeItem(at: directory)
            guard port == nil, attempt < 5, log.contains("Error opening specified endpoint") else {
                throw TestEnvironmentError("snmpd on \(address) did not become ready: \(log.suffix(500))")
            }
            attempt += 1
        }
    }

    /// Writes the configuration into `directory` and starts snmpd in the foreground.
    private static func start(
        _ snmpd: String, host: String, port: UInt16, community: String, directory: URL,
        extraConfiguration: String, launcher: [String]
    ) throws -> ChildProcess {
        let engineID = "outpost\(port)\(host.split(separator: ".").map(String.init).joined())"
        let config = """
            agentAddress udp:\(host):\(port)
            engineID \(engineID)
            dontLogTCPWrappersConnects yes
            rocommunity \(community) \(launcher.isEmpty ? "127.0.0.0/8" : "default")
            createUser privsha256 SHA-256 \(Self.authPassphrase) AES \(Self.privPassphrase)
            createUser privsha SHA \(Self.authPassphrase) AES \(Self.privPassphrase)
            createUser authsha SHA \(Self.authPassphrase)
            createUser noauth
            rouser privsha256 priv
            rouser privsha priv
            rouser authsha auth
            rouser noauth noauth
            \(extraConfiguration)

            """
        let configFile = directory.appendingPathComponent("snmpd.conf")
        try config.write(to: configFile, atomically: true, encoding: .utf8)
        let arguments = ["-f", "-Lf", directory.appendingPathComponent("snmpd.log").path, "-C", "-c", configFile.path]
        return ChildProcess(
            launcher.first ?? snmpd, Array(launcher.dropFirst()) + (launcher.isEmpty ? [] : [snmpd]) + arguments,
            environment: ["SNMP_PERSISTENT_DIR": directory.appendingPathComponent("persist").path],
            logFile: directory.appendingPathComponent("stdout.log").path)
    }

    deinit {
        stop()
    }

    public func stop() {
        process.send(.kill)
        try? FileManager.default.removeItem(at: directory)
    }

    /// Stops snmpd and returns once it has exited, so another one can bind its port.
    public func stopAndWait() async {
        await process.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    public var address: String { "\(host):\(port)" }

    public func target(_ security: SNMPSecurity, timeout: Duration = .seconds(2), retries: Int = 1) -> SNMPTarget {
        SNMPTarget(host: host, port: port, security: security, timeout: timeout, retries: retries)
    }

    public var v2c: SNMPTarget { target(.v2c(community: community)) }

    public static func user(
        _ name: String, auth: SNMPv3User.AuthenticationProtocol? = nil, priv: SNMPv3User.PrivacyProtocol? = nil,
        authPassphrase: String = authPassphrase
    ) -> SNMPSecurity {
        .v3(
            SNMPv3User(
                userName: name,
                authentication: auth.map { .init($0, passphrase: authPassphrase) },
                privacy: priv.map { .init($0, passphrase: privPassphrase) }))
    }

    /// Whether snmpd answers a real request before it exits or 100 tries pass.
    private static func waitUntilReady(_ process: ChildProcess, address: String, community: String) async -> Bool {
        for _ in 0..<100 {
            guard process.isRunning else { return false }
            // A real request with a short timeout; snmpget itself waits, no sleep needed.
            if let text = try? await Command.output(
                "/usr/bin/snmpget",
                ["-v2c", "-c", community, "-t", "0.1", "-r", "0", "-On", address, "1.3.6.1.2.1.1.3.0"]),
                text.contains("1.3.6.1.2.1.1.3.0")
            {
                return true
            }
        }
        return false
    }
}
