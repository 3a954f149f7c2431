import Foundation
import Logging
import OutpostCore

/// Walks the LLDP and CDP neighbour tables of an agent's SNMP devices on a schedule and reports
/// each device's neighbours (`docs/topology.md`).
///
/// Every device with an SNMP credential is walked every ``interval``, at a phase fixed per
/// device so a branch's walks spread over the interval; the first walk of each device comes at
/// once. One walk reads all neighbour columns together with the table walk the item poller
/// uses (``SNMPEngine/walkColumns(_:from:varBindsPerResponse:rowLimit:)``). A device that does
/// not answer is logged and reports nothing: its edges then age out on the collector.
public struct NeighbourPoller: Sendable {
    /// Time between two walks of one device when none is given (edges age out after three).
    public static let defaultInterval: Duration = .seconds(1_200)

    private let engine: SNMPEngine
    private let port: UInt16
    private let timeout: Duration
    private let retries: Int
    /// Time between two walks of one device.
    public let interval: Duration
    private let logger: Logger

    /// A poller walking through `engine` on UDP `port` every `interval`.
    public init(
        engine: SNMPEngine, interval: Duration = Self.defaultInterval, port: UInt16 = 161,
        timeout: Duration = .seconds(2), retries: Int = 1, logger: Logger
    ) {
        self.engine = engine
        self.interval = interval
        self.port = port
        self.timeout = timeout
        self.retries = retries
        self.logger = logger
    }

    /// Walks the neighbours of `devices` until cancelled, handing every report to `emit`.
    public func run(devices: [AgentConfiguration.Device], emit: @escaping @Sendable (NeighbourReport) -> Void) async {
        await withDiscardingTaskGroup { group in
            for device in devices {
                guard let credential = device.snmp, let security = try? SNMPSecurity(credential) else { continue }
                let target = SNMPTarget(
                    host: device.address, port: port, security: security, timeout: timeout, retries: retries)
                group.addTask { await self.poll(device, at: target, emit: emit) }
            }
        }
    }

    /// One walk of `device`'s neighbour tables, or `nil` (logged) when it did not answer.
    public func walk(_ deviceID: UUID, at target: SNMPTarget) async -> NeighbourReport? {
        do {
            let walk = try await engine.walkColumns(NeighbourColumns.all, from: target)
            return NeighbourReport(
                deviceID: deviceID, observedAt: Date(), neighbours: NeighbourColumns.neighbours(in: walk))
        } catch {
            logger.debug(
                "neighbour walk failed; the device's edges age out if it keeps failing",
                metadata: ["device": "\(deviceID)", "error": "\(error)"])
            return nil
        }
    }

    private func poll(
        _ device: AgentConfiguration.Device, at target: SNMPTarget, emit: @Sendable (NeighbourReport) -> Void
    ) async {
        let clock = ContinuousClock()
        var hasher = Hasher()
        hasher.combine(device.id)
        let periodMilliseconds = max(Int(interval.components.seconds) * 1000, 1000)
        var next = clock.now + .milliseconds((hasher.finalize() & Int.max) % periodMilliseconds)
        if let report = await walk(device.id, at: target) { emit(report) }
        while !Task.isCancelled {
            do {
                try await clock.sleep(until: next)
            } catch {
                return
            }
            next += interval
            if let report = await walk(device.id, at: target) { emit(report) }
            if next < clock.now { next = clock.now }
        }
    }
}
