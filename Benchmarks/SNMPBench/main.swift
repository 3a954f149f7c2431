import Foundation
import OutpostCore
import OutpostProbes

// SNMP engine throughput next to net-snmp's snmpbulkwalk, same agent, same run.
//
//   OUTPOST_BENCHMARKS=1 swift run -c release SNMPBench                                   own snmpd: v2c and v3 authPriv
//   OUTPOST_BENCHMARKS=1 swift run -c release SNMPBench gets                              own snmpd, the GET phases only
//   OUTPOST_BENCHMARKS=1 swift run -c release SNMPBench host:port community [root [max-repetitions]]   any v2c agent (snmpsim)
//
// Prints GET requests/s (128 in flight, 4 OIDs each), walk OIDs/s of the engine and of
// snmpbulkwalk over the same subtree, and 16 concurrent engine walks. Each walk comparison ends
// with a machine-readable `RESULT name=… size=… ours=… reference=… unit=… ratio=…` line (medians
// of the three rounds). With its own snmpd it walks the v2c interfaces subtree (small) and mib-2,
// and the GET phases end with the v3 rate next to the v2c rate and snmpd's CPU per request of each.

/// Writes one line at once (unbuffered: nothing is lost if the run is interrupted).
func report(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

func format(_ value: Double) -> String {
    String(format: "%.0f", value)
}

/// A v3 user of the benchmark's own snmpd.
let v3User = SNMPv3User(
    userName: "bench", authentication: .init(.sha256, passphrase: "bench-auth-key"),
    privacy: .init(.aes128, passphrase: "bench-priv-key"))
let v3ToolArguments = [
    "-v3", "-l", "authPriv", "-u", "bench", "-a", "SHA-256", "-A", "bench-auth-key", "-x", "AES", "-X",
    "bench-priv-key",
]

/// A local snmpd on a free loopback port with a v2c community and the v3 user.
final class LocalAgent {
    let port: UInt16
    private let directory: URL
    private let process: ChildProcess
    /// snmpd's process ID (for its CPU time).
    var pid: pid_t { process.pid }

    init() throws {
        port = try Self.freeUDPPort()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("snmpbench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let config = """
            agentAddress udp:127.0.0.1:\(port)
            rocommunity bench 127.0.0.1
            createUser bench SHA-256 bench-auth-key AES bench-priv-key
            rouser bench priv
            dontLogTCPWrappersConnects yes

            """
        let file = directory.appendingPathComponent("snmpd.conf")
        try config.write(to: file, atomically: true, encoding: .utf8)
        process = try ChildProcess.start(
            "/usr/sbin/snmpd", ["-f", "-Lf", "/dev/null", "-C", "-c", file.path],
            environment: ["SNMP_PERSISTENT_DIR": directory.path])
        for _ in 0..<100 {
            let probe = try? ChildProcess.output(
                "/usr/bin/snmpget",
                ["-v2c", "-c", "bench", "-t", "0.1", "-r", "0", "-On", "127.0.0.1:\(port)", "1.3.6.1.2.1.1.3.0"])
            if probe?.contains("Timeticks") == true { return }
        }
        stop()
        throw ChildProcess.Failure(description: "snmpd did not answer on port \(port)")
    }

    func stop() {
        process.terminate()
        try? FileManager.default.removeItem(at: directory)
    }

    private static func freeUDPPort() throws -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw ChildProcess.Failure(description: "socket failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                bind(fd, raw, length) == 0 && getsockname(fd, raw, &length) == 0
            }
        }
        guard bound else { throw ChildProcess.Failure(description: "bind failed") }
        return UInt16(bigEndian: address.sin_port)
    }
}

/// What one GET phase measured.
struct GetPhase {
    var requests: Int
    var requestsPerSecond: Double
    /// CPU seconds snmpd spent during the phase (user + system), when it is our own snmpd.
    var agentCPUSeconds: Double?
}

/// CPU seconds (user + system) a process has used so far, from /proc/PID/stat.
func cpuSeconds(of pid: pid_t) -> Double? {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
        let close = stat.lastIndex(of: ")")
    else { return nil }
    // Fields after the command name: state is field 3; utime and stime are fields 14 and 15.
    let fields = stat[stat.index(after: close)...].split(separator: " ")
    guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
    return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
}

/// 20,000 GETs of 4 OIDs, 128 in flight. Besides the rate it reports the slowest request and
/// how many took longer than a second: on loopback every request answers in milliseconds, so a
/// slow one waited for something (a timeout and retransmission, a report, a resync).
@discardableResult
func benchmarkGets(_ engine: SNMPEngine, _ target: SNMPTarget, label: String, agentPID: pid_t? = nil) async
    -> GetPhase
{
    let requests = 20_000
    let inFlight = 128
    let oids = ["1.3.6.1.2.1.1.1.0", "1.3.6.1.2.1.1.3.0", "1.3.6.1.2.1.1.5.0", "1.3.6.1.2.1.2.1.0"]
    let clock = ContinuousClock()
    let agentCPUBefore = agentPID.flatMap(cpuSeconds(of:))
    let start = clock.now
    let (failures, slow, slowest) = await withTaskGroup(of: (Int, Int, Duration).self) { group in
        for worker in 0..<inFlight {
            group.addTask {
                var failed = 0
                var slow = 0
                var slowest = Duration.zero
                for _ in stride(from: worker, to: requests, by: inFlight) {
                    let sent = clock.now
                    if case .failure = await engine.get(oids, from: target) { failed += 1 }
                    let took = clock.now - sent
                    slowest = max(slowest, took)
                    if took > .seconds(1) { slow += 1 }
                }
                return (failed, slow, slowest)
            }
        }
        return await group.reduce((0, 0, Duration.zero)) { ($0.0 + $1.0, $0.1 + $1.1, max($0.2, $1.2)) }
    }
    let elapsed = seconds(clock.now - start)
    let agentCPU = agentCPUBefore.flatMap { before in agentPID.flatMap(cpuSeconds(of:)).map { $0 - before } }
    report(
        "engine GET \(label): \(format(Double(requests) / elapsed)) requests/s, \(format(Double(requests * oids.count) / elapsed)) OIDs/s "
            + "(\(requests) requests of \(oids.count) OIDs, \(inFlight) in flight, \(failures) failed; "
            + "slowest \(String(format: "%.3f", seconds(slowest))) s, \(slow) over 1 s"
            + (agentCPU.map { String(format: "; snmpd CPU %.2f s", $0) } ?? "") + ")")
    return GetPhase(requests: requests, requestsPerSecond: Double(requests) / elapsed, agentCPUSeconds: agentCPU)
}

/// Three rounds of one engine walk and one snmpbulkwalk of the same subtree, then 16 concurrent engine walks.
func benchmarkWalks(
    _ engine: SNMPEngine, _ target: SNMPTarget, toolArguments: [String], root: String, repetitions: Int, label: String
) async throws {
    let clock = ContinuousClock()
    var rates: [(ours: Double, theirs: Double)] = []
    var walkedCount = 0
    for round in 1...3 {
        let start = clock.now
        let walked = try await engine.walk(root, from: target, maxRepetitions: repetitions)
        let ours = seconds(clock.now - start)
        let toolStart = clock.now
        let output = try ChildProcess.output(
            "/usr/bin/snmpbulkwalk",
            toolArguments + ["-On", "-Cr\(repetitions)", "\(target.host):\(target.port)", root])
        let theirs = seconds(clock.now - toolStart)
        let toolCount = output.split(separator: "\n").filter {
            $0.hasPrefix(".") && !$0.contains("No more variables left")
        }.count
        report(
            "walk \(label) \(root) max-rep \(repetitions), round \(round): engine \(walked.count) OIDs \(format(Double(walked.count) / ours)) OIDs/s"
                + " | snmpbulkwalk \(toolCount) OIDs \(format(Double(toolCount) / theirs)) OIDs/s")
        rates.append((Double(walked.count) / ours, Double(toolCount) / theirs))
        walkedCount = walked.count
    }
    let ours = rates.map(\.ours).sorted()[1]
    let theirs = rates.map(\.theirs).sorted()[1]
    report(
        "RESULT name=snmp-walk-\(label.split(separator: " ")[0]) size=\(walkedCount)-OIDs ours=\(format(ours)) reference=\(format(theirs))"
            + " unit=OIDs/s ratio=\(String(format: "%.2f", ours / theirs))")
    let start = clock.now
    let results = await withTaskGroup(of: Result<Int, SNMPError>.self) { group in
        for _ in 0..<16 {
            group.addTask {
                do throws(SNMPError) {
                    return .success(try await engine.walk(root, from: target, maxRepetitions: repetitions).count)
                } catch {
                    return .failure(error)
                }
            }
        }
        return await group.reduce(into: []) { $0.append($1) }
    }
    let total = results.reduce(0) { $0 + ((try? $1.get()) ?? 0) }
    let failures = results.filter { if case .failure = $0 { true } else { false } }
    report(
        "16 concurrent engine walks \(label): \(format(Double(total) / seconds(clock.now - start))) OIDs/s (\(total) OIDs"
            + (failures.isEmpty ? ")" : ", \(failures.count) walks failed: \(failures[0])"))
}

/// The v3 GET rate next to the v2c rate of the same engine against the same snmpd (what
/// authPriv costs on top of the same round trips), and snmpd's CPU per request of each.
func reportGetResults(v2c: GetPhase, v3: GetPhase) {
    report(
        "RESULT name=snmp-get-v3 size=4-OIDs ours=\(format(v3.requestsPerSecond)) reference=\(format(v2c.requestsPerSecond))"
            + " unit=req/s ratio=\(String(format: "%.2f", v3.requestsPerSecond / v2c.requestsPerSecond))")
    guard let v3CPU = v3.agentCPUSeconds, let v2cCPU = v2c.agentCPUSeconds, v2cCPU > 0 else { return }
    let v3PerRequest = v3CPU / Double(v3.requests) * 1e6
    let v2cPerRequest = v2cCPU / Double(v2c.requests) * 1e6
    report(
        "RESULT name=snmp-get-v3-snmpd-cpu size=4-OIDs ours=\(format(v3PerRequest)) reference=\(format(v2cPerRequest))"
            + " unit=us/req ratio=\(String(format: "%.2f", v3PerRequest / v2cPerRequest))")
}

func runBenchmark() async throws {
    let arguments = Array(CommandLine.arguments.dropFirst())
    let engine = try SNMPEngine()
    if arguments.count >= 2, let colon = arguments[0].lastIndex(of: ":"),
        let port = UInt16(arguments[0][arguments[0].index(after: colon)...])
    {
        let host = String(arguments[0][..<colon])
        let root = arguments.count >= 3 ? arguments[2] : "1.3.6.1"
        let repetitions = arguments.count >= 4 ? Int(arguments[3]) ?? 25 : 25
        let target = SNMPTarget(
            host: host, port: port, security: .v2c(community: arguments[1]), timeout: .seconds(5), retries: 1)
        await benchmarkGets(engine, target, label: "v2c")
        try await benchmarkWalks(
            engine, target, toolArguments: ["-v2c", "-c", arguments[1], "-t", "5"], root: root,
            repetitions: repetitions, label: "v2c")
    } else {
        let agent = try LocalAgent()
        defer { agent.stop() }
        let v2c = SNMPTarget(
            host: "127.0.0.1", port: agent.port, security: .v2c(community: "bench"), timeout: .seconds(5), retries: 1)
        let v3 = SNMPTarget(
            host: "127.0.0.1", port: agent.port, security: .v3(v3User), timeout: .seconds(5), retries: 1)
        report("snmpd on 127.0.0.1:\(agent.port)")
        let v2cGets = await benchmarkGets(engine, v2c, label: "v2c", agentPID: agent.pid)
        let v3Gets = await benchmarkGets(engine, v3, label: "v3 authPriv SHA-256/AES", agentPID: agent.pid)
        reportGetResults(v2c: v2cGets, v3: v3Gets)
        if arguments == ["gets"] {
            await engine.shutdown()
            return
        }
        try await benchmarkWalks(
            engine, v2c, toolArguments: ["-v2c", "-c", "bench"], root: "1.3.6.1.2.1.2", repetitions: 25, label: "v2c")
        try await benchmarkWalks(
            engine, v2c, toolArguments: ["-v2c", "-c", "bench"], root: "1.3.6.1.2.1", repetitions: 25, label: "v2c")
        try await benchmarkWalks(
            engine, v3, toolArguments: v3ToolArguments, root: "1.3.6.1.2.1", repetitions: 25, label: "v3 authPriv")
    }
    await engine.shutdown()
}

do {
    try await runBenchmark()
} catch {
    report("benchmark failed: \(error)")
    exit(1)
}
