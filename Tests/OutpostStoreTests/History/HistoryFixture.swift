import Foundation
import OutpostCore
import OutpostTestSupport
import PostgresNIO

@testable import OutpostStore

/// Raw rows written through the ingest writer, and the direct aggregates the roll-ups must equal.
enum HistoryFixture {
    /// 2026-11-20 10:00:00 UTC: a fixed past hour (ingest and the roll-up job create its partitions).
    static let base = Date(timeIntervalSince1970: 1_795_168_800)

    /// A branch, an agent and `count` devices with one gauge and one counter item each.
    static func devices(_ count: Int, on db: PostgresConnection) async throws -> (
        agent: AgentID, branch: UUID, devices: [DeviceID], gauges: [ItemID], counters: [ItemID]
    ) {
        let agent = AgentID.random()
        let branch = try await Fixture.branch("history", on: db)
        try await Fixture.agent(agent.uuid, serial: agent.description, branch: branch, on: db)
        var devices: [DeviceID] = []
        var gauges: [ItemID] = []
        var counters: [ItemID] = []
        for index in 0..<count {
            let device = try await Fixture.device("dev\(index)", ip: "10.0.0.\(index + 1)", branch: branch, on: db)
            let gauge = UUID()
            let counter = UUID()
            try await db.query(
                """
                INSERT INTO monitoring_items (id, device_id, name, oid_name, oid, value_type, units) VALUES
                    (\(gauge), \(device), 'cpu', 'cpuLoad', '1.3.6.1.4.1.9.2.1.58.0', 'gauge32', '%'),
                    (\(counter), \(device), 'in', 'ifInOctets', '1.3.6.1.2.1.2.2.1.10.1', 'counter64', 'bps')
                """, logger: TestDatabase.logger)
            devices.append(DeviceID(device))
            gauges.append(ItemID(gauge))
            counters.append(ItemID(counter))
        }
        return (agent, branch, devices, gauges, counters)
    }

    /// A round of `device` at `time`; `seed` varies RTT and loss (every 7th round unreachable).
    static func round(_ device: DeviceID, at time: Date, seed: Int) -> PingRoundResult {
        let received = seed % 7 == 0 ? 0 : 5 - seed % 3
        let rtt = 1.0 + Double(seed % 11) * 0.37
        return PingRoundResult(
            deviceID: device, deviceIP: "10.0.0.1", timestamp: time, packetsSent: 5, packetsReceived: received,
            minRTT: received > 0 ? rtt * 0.8 : nil, avgRTT: received > 0 ? rtt : nil,
            maxRTT: received > 0 ? rtt * 1.5 : nil, stddevRTT: received > 0 ? 0.1 : nil)
    }

    /// Samples of a gauge and a counter (with a rate but the first, and an error now and then).
    static func samples(gauge: ItemID, counter: ItemID, device: DeviceID, at time: Date, seed: Int) -> [ItemSample] {
        [
            ItemSample(
                itemID: gauge, deviceID: device, timestamp: time,
                value: seed % 13 == 0 ? nil : .gauge32(UInt32(seed % 97)),
                error: seed % 13 == 0 ? "timeout" : nil),
            ItemSample(
                itemID: counter, deviceID: device, timestamp: time, value: .counter64(UInt64(1_000_000 + seed * 4_096)),
                rate: seed == 0 ? nil : Double(seed % 17) * 100.5),
        ]
    }

    /// Writes rounds (and samples) every `every` seconds from `start` for `duration` seconds, as
    /// batches of `perBatch` rounds per device; returns the next batch sequence.
    @discardableResult
    static func ingest(
        _ fixture: (agent: AgentID, branch: UUID, devices: [DeviceID], gauges: [ItemID], counters: [ItemID]),
        from start: Date, duration: TimeInterval, every: TimeInterval = 10, sequence first: BatchSequence = 1,
        seedOffset: Int = 0, on db: PostgresConnection
    ) async throws -> BatchSequence {
        // A writer of its own: a writer remembers the partitions it created, in another database.
        let writer = IngestWriter(logger: TestDatabase.logger)
        var sequence = first
        var pings: [PingRoundResult] = []
        var samples: [ItemSample] = []
        var offset: TimeInterval = 0
        var seed = seedOffset
        while offset < duration {
            let time = start.addingTimeInterval(offset)
            for (index, device) in fixture.devices.enumerated() {
                pings.append(round(device, at: time, seed: seed + index))
                samples += Self.samples(
                    gauge: fixture.gauges[index], counter: fixture.counters[index], device: device, at: time,
                    seed: seed + index)
            }
            seed += 1
            offset += every
            if pings.count >= 60 || offset >= duration {
                _ = try await writer.write(
                    [IngestBatch(agentID: fixture.agent, sequence: sequence, pings: pings, samples: samples)], on: db)
                sequence += 1
                pings = []
                samples = []
            }
        }
        return sequence
    }

    /// Rolls up until nothing is pending (as of a `now` long after the data).
    static func rollUpAll(_ writer: RollupWriter, on db: PostgresConnection) async throws -> [RollupRound] {
        var rounds: [RollupRound] = []
        while true {
            let round = try await writer.rollUp(now: base.addingTimeInterval(30 * 86_400), on: db)
            guard round.claimed > 0 else { return rounds }
            rounds.append(round)
        }
    }

    /// The one-minute ping roll-ups as text, rounded.
    static let pingMinutesSQL = """
        SELECT device_id || ' ' || bucket || ' ' || round(min_rtt_ms::numeric, 4) || ' ' || round(avg_rtt_ms::numeric, 6)
            || ' ' || round(max_rtt_ms::numeric, 4) || ' ' || packets_sent || ' ' || packets_received || ' '
            || round(loss_percent::numeric, 4) || ' ' || samples || ' ' || round(up_seconds::numeric, 3) || ' '
            || round(down_seconds::numeric, 3)
        FROM ping_rollup_1m ORDER BY device_id, bucket
        """

    /// The same, computed directly from `ping_results`.
    static let pingMinutesDirectSQL = """
        SELECT device_id || ' ' || b || ' ' || round(min(min_rtt_ms)::numeric, 4) || ' '
            || round((sum(avg_rtt_ms::float8 * packets_received) / sum(packets_received) FILTER (WHERE avg_rtt_ms IS NOT NULL))::numeric, 6)
            || ' ' || round(max(max_rtt_ms)::numeric, 4) || ' ' || sum(packets_sent) || ' ' || sum(packets_received) || ' '
            || round((100.0 * (sum(packets_sent) - sum(packets_received)) / sum(packets_sent))::real::numeric, 4) || ' '
            || count(*) || ' ' || round((60.0 * count(*) FILTER (WHERE packets_received > 0) / count(*))::real::numeric, 3)
            || ' ' || round((60.0 * count(*) FILTER (WHERE packets_received = 0) / count(*))::real::numeric, 3)
        FROM (SELECT *, date_trunc('minute', timestamp) AS b FROM ping_results) r
        GROUP BY device_id, b ORDER BY device_id, b
        """

    /// The one-hour ping roll-ups (all but up and down seconds), rounded.
    static let pingHoursSQL = """
        SELECT device_id || ' ' || bucket || ' ' || round(min_rtt_ms::numeric, 4) || ' ' || round(avg_rtt_ms::numeric, 6)
            || ' ' || round(max_rtt_ms::numeric, 4) || ' ' || packets_sent || ' ' || packets_received || ' '
            || round(loss_percent::numeric, 4) || ' ' || samples
        FROM ping_rollup_1h ORDER BY device_id, bucket
        """

    /// The same, computed directly from `ping_results`.
    static let pingHoursDirectSQL = """
        SELECT device_id || ' ' || b || ' ' || round(min(min_rtt_ms)::numeric, 4) || ' '
            || round((sum(avg_rtt_ms::float8 * packets_received) / sum(packets_received) FILTER (WHERE avg_rtt_ms IS NOT NULL))::numeric, 6)
            || ' ' || round(max(max_rtt_ms)::numeric, 4) || ' ' || sum(packets_sent) || ' ' || sum(packets_received) || ' '
            || round((100.0 * (sum(packets_sent) - sum(packets_received)) / sum(packets_sent))::real::numeric, 4) || ' '
            || count(*)
        FROM (SELECT *, date_trunc('hour', timestamp) AS b FROM ping_results) r
        GROUP BY device_id, b ORDER BY device_id, b
        """

    /// The item roll-ups of `table` (`item_rollup_1m` or `item_rollup_1h`) as text, rounded.
    static func itemRollupSQL(_ table: String) -> String {
        """
        SELECT item_id || ' ' || device_id || ' ' || bucket || ' ' || round(min_value::numeric, 4) || ' '
            || round(avg_value::numeric, 6) || ' ' || round(max_value::numeric, 4) || ' '
            || round(last_value::numeric, 4) || ' ' || samples
        FROM \(table) ORDER BY item_id, bucket
        """
    }

    /// The same, computed directly from `item_history` per `unit` (`minute` or `hour`).
    static func itemDirectSQL(_ unit: String) -> String {
        """
        SELECT item_id || ' ' || device_id || ' ' || b || ' ' || round(min(v)::numeric, 4) || ' '
            || round(avg(v)::numeric, 6) || ' ' || round(max(v)::numeric, 4) || ' '
            || round(((array_agg(v ORDER BY timestamp DESC))[1])::numeric, 4) || ' ' || count(*)
        FROM (
            SELECT item_id, device_id, timestamp, date_trunc('\(unit)', timestamp) AS b,
                COALESCE(rate, CASE WHEN value_type LIKE 'counter%' THEN NULL ELSE value_numeric END) AS v
            FROM item_history WHERE error IS NULL
        ) h
        WHERE v IS NOT NULL
        GROUP BY item_id, device_id, b ORDER BY item_id, b
        """
    }
}
