import Foundation
import Logging
import OutpostCore

/// Sweeps address ranges for devices: an ICMP round per host, then the SNMP system group of
/// the hosts that answered (or of every host), vendor and type classification, and the MAC
/// address from the agent host's neighbour table, streamed as ``DiscoveryEvent``s.
///
/// At most ``DiscoveryConfiguration/concurrency`` hosts are probed at once, and the ICMP
/// engine's global send-rate limit applies to the whole sweep.
public final class DiscoverySweeper: Sendable {
    private let icmp: ICMPEngine
    private let snmp: SNMPEngine
    private let logger: Logger

    /// Uses running engines; the sweeper does not shut them down.
    public init(icmp: ICMPEngine, snmp: SNMPEngine, logger: Logger = Logger(label: "outpost.discovery")) {
        self.icmp = icmp
        self.snmp = snmp
        self.logger = logger
    }

    /// Starts a sweep and returns its events.
    ///
    /// Cancelling the task that iterates the events (or dropping the sequence) stops the
    /// sweep: no further request is sent, the stream ends without a ``DiscoveryEvent/finished(_:)``,
    /// and requests already on the wire complete in the background within their timeouts.
    /// Events are buffered until consumed (at most two per host).
    /// - Throws: ``DiscoveryConfigurationError`` when `configuration` is out of range.
    public func sweep(_ targets: DiscoveryTargets, configuration: DiscoveryConfiguration)
        throws(DiscoveryConfigurationError) -> AsyncStream<DiscoveryEvent>
    {
        let ping = try configuration.pingConfiguration()
        let (stream, continuation) = AsyncStream.makeStream(of: DiscoveryEvent.self)
        let run = SweepRun(
            icmp: icmp, systemGroup: SystemGroupProbe(engine: snmp, configuration: configuration),
            configuration: configuration, ping: ping, logger: logger)
        let task = Task { await run.run(targets, continuation) }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }
}

/// One sweep's probing and bookkeeping.
private struct SweepRun: Sendable {
    let icmp: ICMPEngine
    let systemGroup: SystemGroupProbe
    let configuration: DiscoveryConfiguration
    let ping: PingConfiguration
    let logger: Logger
    /// Ping targets need a device; discovered hosts have none yet.
    let deviceID = DeviceID(UUID())

    /// What probing one host produced.
    struct HostOutcome: Sendable {
        var address: String
        var round: PingRoundResult
        /// When the echo round ended.
        var probedAt: ContinuousClock.Instant
        var snmp: SystemGroupProbe.Outcome?
    }

    func run(_ targets: DiscoveryTargets, _ continuation: AsyncStream<DiscoveryEvent>.Continuation) async {
        let clock = ContinuousClock()
        let start = clock.now
        let startedAt = Date()
        var progress = DiscoveryProgress(total: targets.count)
        var lastProgress = start
        var neighbours = NeighbourReader(enabled: configuration.readNeighbourTable)
        logger.info(
            "discovery sweep started",
            metadata: ["hosts": "\(targets.count)", "credentials": "\(configuration.credentials.count)"])
        continuation.yield(.progress(progress))

        await withTaskGroup(of: HostOutcome.self) { group in
            var addresses = targets.makeIterator()
            for _ in 0..<configuration.concurrency {
                guard let address = addresses.next() else { break }
                group.addTask { await probe(address) }
            }
            while let outcome = await group.next() {
                if let host = record(outcome, into: &progress) {
                    var found = host
                    found.macAddress = neighbours.macAddress(of: host.address, probedAt: outcome.probedAt)
                    continuation.yield(.hostFound(found))
                }
                if !Task.isCancelled, let address = addresses.next() {
                    group.addTask { await probe(address) }
                }
                if clock.now - lastProgress >= configuration.progressInterval, progress.scanned < progress.total {
                    lastProgress = clock.now
                    continuation.yield(.progress(progress))
                }
            }
        }

        let cancelled = progress.scanned < progress.total
        let duration = clock.now - start
        logger.info(
            "discovery sweep ended",
            metadata: [
                "scanned": "\(progress.scanned)", "responded": "\(progress.responded)",
                "identified": "\(progress.identified)",
                "failed": "\(progress.failed)", "cancelled": "\(cancelled)", "duration": "\(duration)",
            ])
        continuation.yield(.progress(progress))
        continuation.yield(.finished(DiscoverySummary(progress: progress, startedAt: startedAt, duration: duration)))
        continuation.finish()
    }

    /// Pings one host (again after each unanswered request, up to the retries) and, where
    /// the configuration says so, reads its SNMP system group.
    func probe(_ address: String) async -> HostOutcome {
        guard let target = try? PingTarget(deviceID: deviceID, address: address) else {
            // Unreachable: the targets only produce address literals. Counted as a failure.
            return HostOutcome(
                address: address,
                round: PingRoundResult(
                    deviceID: deviceID, deviceIP: address, timestamp: Date(), packetsSent: 0, packetsReceived: 0),
                probedAt: .now)
        }
        var round = await icmp.round(target: target, configuration: ping)
        for _ in 0..<configuration.icmpRetries where !round.isReachable && round.packetsSent > 0 && !Task.isCancelled {
            round = await icmp.round(target: target, configuration: ping)
        }
        let probedAt = ContinuousClock.now
        let wantsSNMP =
            switch configuration.snmpProbing {
            case .disabled: false
            case .respondersOnly: round.isReachable
            case .allHosts: true
            }
        guard wantsSNMP else { return HostOutcome(address: address, round: round, probedAt: probedAt) }
        guard !Task.isCancelled else {
            return HostOutcome(address: address, round: round, probedAt: probedAt, snmp: .cancelled)
        }
        return HostOutcome(
            address: address, round: round, probedAt: probedAt, snmp: await systemGroup.probe(host: address))
    }

    /// Counts one outcome and returns the host when it answered anything. A host whose SNMP
    /// probing was cut short by cancellation counts as not scanned.
    func record(_ outcome: HostOutcome, into progress: inout DiscoveryProgress) -> DiscoveredHost? {
        if outcome.snmp == .cancelled { return nil }
        progress.scanned += 1
        if outcome.round.packetsSent == 0 || outcome.snmp == .failed { progress.failed += 1 }
        var system: SNMPSystemGroup?
        if case .identified(let group) = outcome.snmp {
            system = group
            progress.identified += 1
        }
        guard outcome.round.isReachable || system != nil else { return nil }
        progress.responded += 1
        let vendor = system?.sysObjectID.flatMap(DeviceVendor.init(sysObjectID:))
        return DiscoveredHost(
            address: outcome.address, respondsToICMP: outcome.round.isReachable, rttMilliseconds: outcome.round.avgRTT,
            system: system, macAddress: nil, vendor: vendor,
            deviceType: system.map { DeviceType(sysDescr: $0.sysDescr, sysServices: $0.sysServices, vendor: vendor) }
                ?? .unknown)
    }
}

/// Looks MAC addresses up in the neighbour table, reading it again only when it lacks an
/// address and was read before that host's echo round ended (the kernel resolves a
/// neighbour before sending it the echo request, so a later read has the entry if any).
private struct NeighbourReader {
    let enabled: Bool
    private var table = NeighbourTable()
    private var readAt: ContinuousClock.Instant?

    init(enabled: Bool) { self.enabled = enabled }

    /// The MAC address of an IPv4 host whose echo round ended at `probedAt`.
    mutating func macAddress(of address: String, probedAt: ContinuousClock.Instant) -> String? {
        guard enabled, !address.contains(":") else { return nil }
        if let known = table.macAddress(of: address) { return known }
        if let readAt, readAt > probedAt { return nil }
        table = NeighbourTable.current()
        readAt = ContinuousClock.now
        return table.macAddress(of: address)
    }
}
