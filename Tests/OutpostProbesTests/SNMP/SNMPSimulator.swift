import Foundation
import OutpostCore
import OutpostProbes
import OutpostTestSupport

/// snmpsim (PyPI `snmpsim`) serving recordings from `snmpsim-data` on a unique loopback port.
/// Needs `OUTPOST_SNMPSIM_BIN` (path of `snmpsim-command-responder`) and
/// `OUTPOST_SNMPSIM_DATA` (the `snmpsim_data/data` directory of the snmpsim-data package).
final class SNMPSimulator {
    let port: UInt16
    private let directory: URL
    private let process: ChildProcess

    /// Serves each recording (path relative to the data directory) under the community
    /// given as key, and returns once the simulator answers a real request.
    init(recordings: [String: String]) async throws {
        let environment = ProcessInfo.processInfo.environment
        guard let binary = environment["OUTPOST_SNMPSIM_BIN"], let data = environment["OUTPOST_SNMPSIM_DATA"] else {
            throw TestEnvironmentError(
                "OUTPOST_SNMPSIM_BIN and OUTPOST_SNMPSIM_DATA must name snmpsim-command-responder and the snmpsim-data data directory"
            )
        }
        _ = try Command.require(binary, hint: "pip install snmpsim==1.2.2 snmpsim-data==1.0.1")
        port = try FreePort.udp()
        directory = try TemporaryDirectory("snmpsim").url
        let dataDirectory = directory.appendingPathComponent("data")
        let cacheDirectory = directory.appendingPathComponent("cache")
        try FileManager.default.createDirectory(
            at: dataDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        try FileManager.default.createDirectory(
            at: cacheDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o777])
        for (community, path) in recordings {
            let source = URL(fileURLWithPath: data).appendingPathComponent(path)
            let suffix = path.hasSuffix(".bz2") ? ".snmprec.bz2" : ".snmprec"
            try FileManager.default.copyItem(at: source, to: dataDirectory.appendingPathComponent(community + suffix))
        }
        var arguments = [
            "--data-dir=\(dataDirectory.path)", "--cache-dir=\(cacheDirectory.path)",
            "--agent-udpv4-endpoint=127.0.0.1:\(port)", "--log-level=error",
        ]
        if getuid() == 0 { arguments += ["--process-user=nobody", "--process-group=nogroup"] }
        process = ChildProcess(binary, arguments, logFile: directory.appendingPathComponent("snmpsim.log").path)
        try await waitUntilReady(community: recordings.keys.first ?? "public")
    }

    deinit {
        process.send(.kill)
        try? FileManager.default.removeItem(at: directory)
    }

    func target(community: String) -> SNMPTarget {
        SNMPTarget(
            host: "127.0.0.1", port: port, security: .v2c(community: community), timeout: .seconds(5), retries: 1)
    }

    /// The OIDs `snmpbulkwalk` gets from this simulator under `root`, in order (without the
    /// endOfMibView bindings it prints for the last page).
    func referenceWalkOIDs(community: String, root: String, maxRepetitions: Int) async throws -> [String] {
        let text = try await Command.output(
            "/usr/bin/snmpbulkwalk",
            [
                "-v2c", "-c", community, "-t", "5", "-On", "-Ox", "-Cr\(maxRepetitions)", "127.0.0.1:\(port)", root,
            ])
        return text.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("."), let end = line.range(of: " = "), !line.contains("No more variables left") else {
                return nil
            }
            return String(line[line.index(after: line.startIndex)..<end.lowerBound])
        }
    }

    /// The recording as `(oid, value)` in OID order, the way the simulator serves it.
    static func recording(_ path: String) async throws -> [VarBind] {
        let data = ProcessInfo.processInfo.environment["OUTPOST_SNMPSIM_DATA"] ?? ""
        let file = URL(fileURLWithPath: data).appendingPathComponent(path).path
        let text =
            path.hasSuffix(".bz2")
            ? try await Command.output(try Command.require("/usr/bin/bzcat", hint: "apt-get install bzip2"), [file])
            : try String(contentsOfFile: file, encoding: .utf8)
        return try SNMPRecording.parse(text)
    }

    private func waitUntilReady(community: String) async throws {
        for _ in 0..<300 {
            guard process.isRunning else { break }
            if let text = try? await Command.output(
                "/usr/bin/snmpget",
                ["-v2c", "-c", community, "-t", "0.2", "-r", "0", "-On", "127.0.0.1:\(port)", "1.3.6.1.2.1.1.1.0"]),
                text.contains("1.3.6.1.2.1.1.1.0")
            {
                return
            }
        }
        let log = (try? String(contentsOf: directory.appendingPathComponent("snmpsim.log"), encoding: .utf8)) ?? ""
        throw TestEnvironmentError("snmpsim on port \(port) did not become ready: \(log.suffix(800))")
    }
}

/// Parses snmpsim's `.snmprec` format: `OID|TYPE|VALUE` per line (RFC tags; an `x` suffix
/// means a hex-encoded value).
enum SNMPRecording {
    static func parse(_ text: String) throws -> [VarBind] {
        var entries: [(oid: [UInt], varBind: VarBind)] = []
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: "|", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3 else { continue }
            let oid = String(fields[0])
            let tag = String(fields[1])
            let body = String(fields[2]).trimmingCharacters(in: CharacterSet(charactersIn: "\r"))
            guard !tag.contains(":") else {
                throw TestEnvironmentError("recording uses a variation module: \(line.prefix(80))")
            }
            let hex = tag.hasSuffix("x")
            let bytes: [UInt8] =
                hex
                ? stride(from: 0, to: body.utf8.count - 1, by: 2).compactMap { offset in
                    let start = body.utf8.index(body.utf8.startIndex, offsetBy: offset)
                    return UInt8(String(body[start..<body.index(start, offsetBy: 2)]), radix: 16)
                } : Array(body.utf8)
            let value: SNMPValue
            switch tag.replacingOccurrences(of: "x", with: "") {
            case "2": value = .integer(Int64(body) ?? 0)
            case "4": value = .octetString(bytes)
            case "5": value = .null
            case "6": value = .objectIdentifier(body)
            case "64":
                // Hex, a dotted quad, or (as snmpsim's pysnmp accepts) the four raw octets.
                let raw = hex || (bytes.count == 4 && !body.contains("."))
                value = .ipAddress(raw ? bytes.map(String.init).joined(separator: ".") : body)
            case "65": value = .counter32(UInt32(body) ?? 0)
            case "66": value = .gauge32(UInt32(body) ?? 0)
            case "67": value = .timeTicks(UInt32(body) ?? 0)
            case "68": value = .opaque(bytes)
            case "70": value = .counter64(UInt64(body) ?? 0)
            default: throw TestEnvironmentError("unknown snmprec tag \(tag)")
            }
            entries.append((oid.split(separator: ".").compactMap { UInt($0) }, VarBind(oid: oid, value: value)))
        }
        return entries.sorted { $0.oid.lexicographicallyPrecedes($1.oid) }.map(\.varBind)
    }
}
