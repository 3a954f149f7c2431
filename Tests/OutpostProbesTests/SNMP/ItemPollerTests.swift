import Foundation
import Logging
import OutpostCore
import OutpostProbes
import OutpostTestSupport
import Synchronization
import Testing

@Suite("Item poller against a real snmpd", .tags(.snmp, .timing), .needsQuietMachine, .needsSnmpd)
struct ItemPollerTests {
    static let sysUpTime = AgentConfiguration.Item(
        id: UUID(), name: "uptime", oid: "1.3.6.1.2.1.1.3.0", intervalSeconds: 1, valueType: "timeticks", isTable: false
    )
    static let sysName = AgentConfiguration.Item(
        id: UUID(), name: "name", oid: ".1.3.6.1.2.1.1.5.0", intervalSeconds: 1, valueType: "string", isTable: false)
    static let inOctets = AgentConfiguration.Item(
        id: UUID(), name: "lo_in", oid: "1.3.6.1.2.1.2.2.1.10.1", intervalSeconds: 1, valueType: "counter32",
        isTable: false)
    static let missing = AgentConfiguration.Item(
        id: UUID(), name: "missing", oid: "1.3.6.1.4.1.99999.1.0", intervalSeconds: 1, valueType: "integer",
        isTable: false)
    static let table = AgentConfiguration.Item(
        id: UUID(), name: "if_table", oid: "1.3.6.1.2.1.2.2.1.10", intervalSeconds: 1, valueType: "counter32",
        isTable: true)

    /// Collects samples until `enough` says so (bounded by `seconds`), then cancels the poller.
    static func poll(
        _ devices: [AgentConfiguration.Device], port: UInt16, seconds: Double = 10,
        until enough: @escaping @Sendable ([ItemSample]) -> Bool
    ) async throws -> [ItemSample] {
        let engine = try SNMPEngine()
        let poller = ItemPoller(engine: engine, port: port, logger: Logger(label: "outpost.test.items"))
        let samples = Mutex<[ItemSample]>([])
        let (done, finish) = AsyncStream.makeStream(of: Void.self)
        let task = Task {
            await poller.run(devices: devices) { sample in
                let all = samples.withLock {
                    $0.append(sample)
                    return $0
                }
                if enough(all) { finish.yield() }
            }
        }
        let deadline = Task {
            try? await Task.sleep(for: .seconds(seconds))
            finish.yield()
        }
        for await _ in done { break }
        task.cancel()
        deadline.cancel()
        await task.value
        await engine.shutdown()
        return samples.withLock { $0 }
    }

    @Test("scalar items are read at their interval with typed values, counter rates and per-item errors")
    func pollsScalarItems() async throws {
        let agent = try await SNMPDaemon()
        let device = AgentConfiguration.Device(
            id: UUID(), name: "lo", address: agent.host,
            items: [Self.sysUpTime, Self.sysName, Self.inOctets, Self.missing, Self.table],
            snmp: SNMPCredential(version: .v2c, community: agent.community))
        let samples = try await Self.poll([device], port: agent.port) { samples in
            samples.filter { $0.itemID == ItemID(Self.inOctets.id) }.count >= 4
        }
        func of(_ item: AgentConfiguration.Item) -> [ItemSample] { samples.filter { $0.itemID == ItemID(item.id) } }
        #expect(of(Self.inOctets).count >= 4)
        #expect(of(Self.sysUpTime).allSatisfy { if case .timeTicks? = $0.value { true } else { false } })
        #expect(of(Self.sysName).allSatisfy { if case .octetString? = $0.value { true } else { false } })
        #expect(of(Self.inOctets).allSatisfy { if case .counter32? = $0.value { true } else { false } })
        #expect(of(Self.inOctets).first?.rate == nil, "the first counter sample has no rate")
        #expect(of(Self.inOctets).dropFirst().allSatisfy { $0.rate != nil }, "later counter samples carry a rate")
        #expect(of(Self.missing).allSatisfy { $0.value == nil && ($0.error ?? "").lowercased().contains("nosuch") })
        #expect(!of(Self.table).isEmpty && of(Self.table).allSatisfy { $0.instance != nil }, "a sample per row")
        #expect(samples.allSatisfy { $0.deviceID == DeviceID(device.id) })
        // New items are read at once, then once a second at the device's phase: the polls after
        // the first phased one keep their schedule, never a catch-up burst (a loaded machine may
        // delay a poll, which only shortens the gap after it).
        let times = of(Self.inOctets).map(\.timestamp)
        #expect(times[3].timeIntervalSince(times[1]) >= 1.0)
    }

    @Test("an item never read before is read at once, not after its interval")
    func newItemsAreReadAtOnce() async throws {
        let agent = try await SNMPDaemon()
        let hourly = AgentConfiguration.Item(
            id: UUID(), name: "uptime", oid: "1.3.6.1.2.1.1.3.0", intervalSeconds: 3600, valueType: "timeticks",
            isTable: false)
        let device = AgentConfiguration.Device(
            id: UUID(), name: "lo", address: agent.host, items: [hourly],
            snmp: SNMPCredential(version: .v2c, community: agent.community))
        let started = Date()
        let samples = try await Self.poll([device], port: agent.port, seconds: 10) { !$0.isEmpty }
        #expect(samples.count == 1)
        #expect(
            samples.first.map { $0.timestamp.timeIntervalSince(started) < 3 } == true,
            "first value of an hourly item waited")
    }

    @Test("a wrong community yields samples with the error, and devices without credentials are skipped")
    func failuresBecomeSamples() async throws {
        let agent = try await SNMPDaemon()
        let wrong = AgentConfiguration.Device(
            id: UUID(), name: "wrong", address: agent.host, items: [Self.sysName],
            snmp: SNMPCredential(version: .v2c, community: "not-the-community"))
        let bare = AgentConfiguration.Device(
            id: UUID(), name: "bare", address: agent.host, items: [Self.sysUpTime], snmp: nil)
        let samples = try await Self.poll([wrong, bare], port: agent.port, seconds: 15) { $0.count >= 1 }
        #expect(samples.count >= 1)
        #expect(samples.allSatisfy { $0.deviceID == DeviceID(wrong.id) && $0.value == nil && $0.error != nil })
    }
}
