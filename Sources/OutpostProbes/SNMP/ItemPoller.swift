import Foundation
import Logging
import OutpostCore
import Synchronization

/// Polls the SNMP items of an agent's devices, each at its own interval.
///
/// The scalar items of one device that share an interval are read together with GET (at most
/// ``maximumOIDsPerRequest`` per request), every interval, at a phase fixed per device and
/// interval, so a branch's polls spread over the interval instead of bursting and a new
/// configuration does not shift them. An item this poller has never read is read at once (a
/// newly configured item shows its first value within seconds). Counter items carry a
/// per-second rate computed from the previous sample (wrap-aware, see ``CounterRateTracker``);
/// the baselines survive a configuration change, so a new snapshot does not cost a rate.
/// A failed poll yields a sample with the reason and no value, as `item_history` records it.
/// Table items (columns to walk) are not polled yet: they are reported once per run.
public final class ItemPoller: Sendable {
    /// Most OIDs in one GET request (a PDU of 32 varbinds stays well under 1,472 bytes).
    public static let maximumOIDsPerRequest = 32

    private let engine: SNMPEngine
    private let port: UInt16
    private let rates = Mutex(CounterRateTracker<ItemID>())
    private let polled = Mutex(Set<UUID>())
    private let logger: Logger

    /// A poller sending its requests through `engine` to the devices' SNMP agents on UDP `port`.
    public init(engine: SNMPEngine, port: UInt16 = 161, logger: Logger) {
        self.engine = engine
        self.port = port
        self.logger = logger
    }

    /// Polls the items of `devices` until cancelled, handing every sample to `emit`.
    public func run(devices: [AgentConfiguration.Device], emit: @escaping @Sendable (ItemSample) -> Void) async {
        await withDiscardingTaskGroup { group in
            for device in devices where !device.items.isEmpty {
                guard let target = target(of: device) else { continue }
                let scalars = device.items.filter { !$0.isTable }
                if scalars.count < device.items.count {
                    logger.notice(
                        "table items are not polled yet",
                        metadata: [
                            "device": "\(device.name)", "items": "\(device.items.filter(\.isTable).map(\.name))",
                        ])
                }
                for (interval, items) in Dictionary(grouping: scalars, by: \.intervalSeconds) {
                    let deviceID = DeviceID(device.id)
                    group.addTask { await self.poll(items, of: deviceID, at: target, every: interval, emit: emit) }
                }
            }
        }
    }

    /// The SNMP target of `device`, or `nil` (logged) when it has no usable credential.
    private func target(of device: AgentConfiguration.Device) -> SNMPTarget? {
        guard let credential = device.snmp else {
            logger.warning(
                "device has SNMP items but no SNMP credential; not polled", metadata: ["device": "\(device.name)"])
            return nil
        }
        do {
            return SNMPTarget(host: device.address, port: port, security: try SNMPSecurity(credential))
        } catch {
            logger.warning(
                "device's SNMP credential is unusable; not polled",
                metadata: ["device": "\(device.name)", "error": "\(error)"])
            return nil
        }
    }

    private func poll(
        _ items: [AgentConfiguration.Item], of device: DeviceID, at target: SNMPTarget, every interval: Int,
        emit: @Sendable (ItemSample) -> Void
    ) async {
        let period = Duration.seconds(max(interval, 1))
        let clock = ContinuousClock()
        let fresh = polled.withLock { seen in items.filter { !seen.contains($0.id) } }
        if !fresh.isEmpty {
            await read(fresh, of: device, at: target, emit: emit)
        }
        var hasher = Hasher()
        hasher.combine(device)
        hasher.combine(interval)
        let phase = Duration.milliseconds((hasher.finalize() & Int.max) % (max(interval, 1) * 1000))
        var next = clock.now + phase
        while !Task.isCancelled {
            do {
                try await clock.sleep(until: next)
            } catch {
                return
            }
            next += period
            await read(items, of: device, at: target, emit: emit)
            // A poll that overran its interval starts the next one now, not in a burst of catch-ups.
            if next < clock.now { next = clock.now }
        }
    }

    /// One GET per ``maximumOIDsPerRequest`` items; their samples go to `emit`.
    private func read(
        _ items: [AgentConfiguration.Item], of device: DeviceID, at target: SNMPTarget,
        emit: @Sendable (ItemSample) -> Void
    ) async {
        for start in stride(from: 0, to: items.count, by: Self.maximumOIDsPerRequest) {
            let chunk = Array(items[start..<min(start + Self.maximumOIDsPerRequest, items.count)])
            let result = await engine.get(chunk.map(\.oid), from: target)
            guard !Task.isCancelled else { return }
            polled.withLock { seen in
                for item in chunk { seen.insert(item.id) }
            }
            for sample in samples(of: chunk, device: device, result: result, at: Date()) { emit(sample) }
        }
    }

    /// The samples of one GET: each item's value (with its rate for counters), or the error.
    private func samples(
        of items: [AgentConfiguration.Item], device: DeviceID, result: Result<[VarBind], SNMPError>, at timestamp: Date
    ) -> [ItemSample] {
        switch result {
        case .failure(let error):
            return items.map {
                ItemSample(itemID: ItemID($0.id), deviceID: device, timestamp: timestamp, result: .failure(error))
            }
        case .success(let bindings):
            let byOID = Dictionary(
                bindings.map { (Self.normalized($0.oid), $0.value) }, uniquingKeysWith: { first, _ in first })
            return items.map { item in
                let itemID = ItemID(item.id)
                guard let value = byOID[Self.normalized(item.oid)] else {
                    return ItemSample(
                        itemID: itemID, deviceID: device, timestamp: timestamp, value: nil,
                        error: "no value returned for \(item.oid)")
                }
                let rate = rates.withLock { $0.record(value, for: itemID, at: timestamp) }
                return ItemSample(
                    itemID: itemID, deviceID: device, timestamp: timestamp, result: .success(value), rate: rate)
            }
        }
    }

    private static func normalized(_ oid: String) -> Substring {
        oid.hasPrefix(".") ? oid.dropFirst() : Substring(oid)
    }
}
