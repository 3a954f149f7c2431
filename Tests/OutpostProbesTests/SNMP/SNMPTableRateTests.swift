import Foundation
import OutpostCore
import OutpostProbes
import OutpostTestSupport
import Testing

/// Per-row counter rates of a table whose counters the test sets (an snmpd `pass` script reading
/// a file): a Counter32 that wraps gives its true small rate, an agent that restarts with lower
/// counters gives no rate, never a spike of 2^32 per poll.
@Suite("SNMP table counter rates across a wrap and a reboot", .tags(.snmp), .needsSnmpd)
struct SNMPTableRateTests {
    /// The column the script serves: NET-SNMP-MIB's experimental branch, rows 1 and 2.
    static let column = "1.3.6.1.4.1.8072.9999.1.1.2"

    /// A `pass` script answering GET and GETNEXT under `column` with Counter32 values from `values`
    /// (one "index value" line per row, indexes ascending).
    static func script(values: URL) -> String {
        """
        #!/bin/sh
        base=.\(column)
        op=$1
        oid=$2
        current=0
        case "$oid" in
            "$base".*) current=${oid#"$base".}; current=${current%%.*} ;;
        esac
        while read -r index value; do
            if [ "$op" = "-g" ] && [ "$oid" = "$base.$index" ] || { [ "$op" = "-n" ] && [ "$index" -gt "$current" ]; }; then
                printf '%s\\ncounter\\n%s\\n' "$base.$index" "$value"
                exit 0
            fi
        done < \(values.path)
        """
    }

    static func agent(port: UInt16?, directory: URL) async throws -> SNMPDaemon {
        let script = directory.appendingPathComponent("counters.sh")
        return try await SNMPDaemon(port: port, extraConfiguration: "pass .\(column) \(script.path)")
    }

    static func write(_ rows: [Int: UInt32], to values: URL) throws {
        try rows.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)\n" }.joined()
            .write(to: values, atomically: true, encoding: .utf8)
    }

    /// What each sample's rate says the counter grew by since the row's previous sample.
    static func increments(_ rows: [ItemSample]) -> [Double] {
        zip(rows, rows.dropFirst()).compactMap { previous, sample in
            sample.rate.map { $0 * sample.timestamp.timeIntervalSince(previous.timestamp) }
        }
    }

    @Test("a wrapped Counter32 gives its true rate and a restarted agent no rate")
    func wrapAndReboot() async throws {
        let directory = try TemporaryDirectory("table-rates").url
        defer { try? FileManager.default.removeItem(at: directory) }
        let values = directory.appendingPathComponent("values")
        let script = directory.appendingPathComponent("counters.sh")
        try Self.script(values: values).write(to: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        try Self.write([1: UInt32.max - 299, 2: 1_000], to: values)
        var agent = try await Self.agent(port: nil, directory: directory)
        let item = AgentConfiguration.Item(
            id: UUID(), name: "errors", oid: Self.column, intervalSeconds: 1, valueType: "counter32", isTable: true)
        let device = AgentConfiguration.Device(
            id: UUID(), name: "counters", address: agent.host, items: [item],
            snmp: SNMPCredential(version: .v2c, community: agent.community))
        let stream = try SNMPTableSampleStream([device], port: agent.port)

        @Sendable func rows(_ key: String, _ samples: [ItemSample]) -> [ItemSample] {
            samples.filter { $0.instance?.key == key }
        }
        let before = try await stream.wait("a baseline of both rows") { rows("2", $0).count >= 1 }.count
        // Row 1 wraps: max - 299 → 200 is an increase of 500; row 2 goes up by 500.
        try Self.write([1: 200, 2: 1_500], to: values)
        let wrapped = try await stream.wait("a sample after the wrap") { samples in
            samples.dropFirst(before).contains { $0.instance?.key == "1" && $0.value == .counter32(200) }
        }
        let wrap = Self.increments(rows("1", wrapped)).last
        #expect(
            wrap.map { abs($0 - 500) < 0.01 } == true,
            "a wrap is an increase of 500, not a spike: \(String(describing: wrap))")

        // The agent stays up a few polls longer: a restarted agent's first sysUpTime (read within
        // a poll or two of its start) must be below this one's last, as for a real device's reboot.
        _ = try await stream.wait("the agent up for 4 s") { samples in
            guard let first = samples.first, let last = samples.last else { return false }
            return last.timestamp.timeIntervalSince(first.timestamp) >= 4
        }
        // The agent restarts (sysUpTime starts again) with lower counters.
        let port = agent.port
        await agent.stopAndWait()
        try Self.write([1: 10, 2: 20], to: values)
        agent = try await Self.agent(port: port, directory: directory)
        let rebooted = try await stream.wait("samples after the reboot") { samples in
            rows("2", samples).contains { $0.value == .counter32(20) }
        }
        await stream.stop()
        agent.stop()
        let afterReboot = rows("2", rebooted).first { $0.value == .counter32(20) }
        #expect(afterReboot != nil && afterReboot?.rate == nil, "no rate across a reboot")
        for key in ["1", "2"] {
            let increments = Self.increments(rows(key, rebooted))
            #expect(increments.allSatisfy { $0 <= 500.01 }, "no spike on row \(key): \(increments)")
        }
    }
}
