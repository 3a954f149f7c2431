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
///
/// The table items of a device that share an interval are walked together, one GETBULK walk
/// for the whole column set (``SNMPEngine/walkColumns(_:from:varBindsPerResponse:rowLimit:)``),
/// and yield a sample per row carrying the row's instance (OID suffix) and label; their counter
/// rates are tracked per row and reset when the agent's `sysUpTime` went back (a reboot).
/// When a walk sees interfaces come or go, the device's slower interface polls are read at once
/// (``InterfaceRewalks``).
public final class ItemPoller: Sendable {
    /// Most OIDs in one GET request (a PDU of 32 varbinds stays well under 1,472 bytes).
    public static let maximumOIDsPerRequest = 32

    private let engine: SNMPEngine
    private let port: UInt16
    private let timeout: Duration
    private let retries: Int
    /// The counter a rate is tracked for: an item, and for table items one of its rows.
    private struct RateKey: Hashable, Sendable {
        var item: ItemID
        var instance: String?
    }

    private let rates = Mutex(CounterRateTracker<RateKey>())
    private let polled = Mutex(Set<UUID>())
    /// Table items read from another column than their own: 64-bit counters the device lacks,
    /// read from their 32-bit counterparts (``CounterFallbackColumns``).
    private let substitutes = Mutex([UUID: String]())
    private let walkRequests = Atomic<Int>(0)

    /// Requests sent for table walks since the poller was created (for the agent's figures).
    public var tableRequests: Int { walkRequests.load(ordering: .relaxed) }
    private let logger: Logger

    /// A poller sending its requests through `engine` to the devices' SNMP agents on UDP `port`,
    /// each request waiting `timeout` for an answer and sent again `retries` times.
    public init(
        engine: SNMPEngine, port: UInt16 = 161, timeout: Duration = .seconds(1), retries: Int = 1, logger: Logger
    ) {
        self.engine = engine
        self.port = port
        self.timeout = timeout
        self.retries = retries
        self.logger = logger
    }

    /// Polls the items of `devices` until cancelled, handing every sample to `emit`.
    public func run(devices: [AgentConfiguration.Device], emit: @escaping @Sendable (ItemSample) -> Void) async {
        let rewalks = InterfaceRewalks()
        await withDiscardingTaskGroup { group in
            for device in devices where !device.items.isEmpty {
                guard let target = target(of: device) else { continue }
                for (interval, items) in Dictionary(grouping: device.items, by: \.intervalSeconds) {
                    let poll = InterfaceRewalks.Poll(device: DeviceID(device.id), interval: interval)
                    if items.contains(where: {
                        $0.isTable && InterfaceRewalks.isInterfaceColumn(Self.normalized($0.oid))
                    }) {
                        rewalks.register(poll)
                    }
                    group.addTask { await self.poll(items, poll, at: target, rewalks: rewalks, emit: emit) }
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
            return SNMPTarget(
                host: device.address, port: port, security: try SNMPSecurity(credential), timeout: timeout,
                retries: retries)
        } catch {
            logger.warning(
                "device's SNMP credential is unusable; not polled",
                metadata: ["device": "\(device.name)", "error": "\(error)"])
            return nil
        }
    }

    private func poll(
        _ items: [AgentConfiguration.Item], _ poll: InterfaceRewalks.Poll, at target: SNMPTarget,
        rewalks: InterfaceRewalks, emit: @Sendable (ItemSample) -> Void
    ) async {
        let (device, interval) = (poll.device, poll.interval)
        let period = Duration.seconds(max(interval, 1))
        let clock = ContinuousClock()
        let fresh = polled.withLock { seen in items.filter { !seen.contains($0.id) } }
        if !fresh.isEmpty {
            await read(fresh, of: poll, at: target, rewalks: rewalks, emit: emit)
        }
        var hasher = Hasher()
        hasher.combine(device)
        hasher.combine(interval)
        let phase = Duration.milliseconds((hasher.finalize() & Int.max) % (max(interval, 1) * 1000))
        var next = clock.now + phase
        while !Task.isCancelled {
            // Woken early by an interface change: read now, and keep the regular schedule.
            let woken = await rewalks.sleep(poll, until: next)
            guard !Task.isCancelled else { return }
            if !woken { next += period }
            await read(items, of: poll, at: target, rewalks: rewalks, emit: emit)
            // A poll that overran its interval starts the next one now, not in a burst of catch-ups.
            if next < clock.now { next = clock.now }
        }
    }

    /// One GET per ``maximumOIDsPerRequest`` scalar items and one walk of the table items;
    /// their samples go to `emit`.
    private func read(
        _ items: [AgentConfiguration.Item], of poll: InterfaceRewalks.Poll, at target: SNMPTarget,
        rewalks: InterfaceRewalks, emit: @Sendable (ItemSample) -> Void
    ) async {
        let device = poll.device
        let scalars = items.filter { !$0.isTable }
        for start in stride(from: 0, to: scalars.count, by: Self.maximumOIDsPerRequest) {
            let chunk = Array(scalars[start..<min(start + Self.maximumOIDsPerRequest, scalars.count)])
            let result = await engine.get(chunk.map(\.oid), from: target)
            guard !Task.isCancelled else { return }
            polled.withLock { seen in
                for item in chunk { seen.insert(item.id) }
            }
            for sample in samples(of: chunk, device: device, result: result, at: Date()) { emit(sample) }
        }
        let tables = items.filter(\.isTable)
        if !tables.isEmpty { await readTables(tables, of: poll, at: target, rewalks: rewalks, emit: emit) }
    }

    /// One walk of the columns of `items` (and the columns labelling their rows); a sample per
    /// row of each item, or one sample with the error when the walk failed or the column is empty.
    private func readTables(
        _ items: [AgentConfiguration.Item], of poll: InterfaceRewalks.Poll, at target: SNMPTarget,
        rewalks: InterfaceRewalks, emit: @Sendable (ItemSample) -> Void
    ) async {
        let device = poll.device
        let (columns, result) = await walk(items, at: target)
        guard !Task.isCancelled else { return }
        polled.withLock { seen in
            for item in items { seen.insert(item.id) }
        }
        let timestamp = Date()
        let walk: SNMPTableWalk
        switch result {
        case .failure(let error):
            for item in items {
                emit(
                    ItemSample(itemID: ItemID(item.id), deviceID: device, timestamp: timestamp, result: .failure(error))
                )
            }
            return
        case .success(let success): walk = success
        }
        let interfaceColumns = walk.columns.filter { InterfaceRewalks.isInterfaceColumn($0.key) }
        if !interfaceColumns.isEmpty {
            rewalks.observe(interfaceRows: Set(interfaceColumns.values.joined().map(\.instance)), of: poll)
        }
        for (item, column) in zip(items, columns) {
            let itemID = ItemID(item.id)
            let cells = walk.columns[column] ?? []
            guard !cells.isEmpty else {
                emit(
                    ItemSample(
                        itemID: itemID, deviceID: device, timestamp: timestamp, value: nil,
                        error: "no rows under \(item.oid)"))
                continue
            }
            let labels = Self.labels(in: TableLabelColumns.labelColumn(of: column).flatMap { walk.columns[$0] })
            let rowRates = rates.withLock { tracker in
                cells.map { cell in
                    tracker.record(
                        cell.value, for: RateKey(item: itemID, instance: cell.instance), at: timestamp,
                        uptime: walk.uptime)
                }
            }
            for (cell, rate) in zip(cells, rowRates) where ItemInstance.isValidKey(cell.instance) {
                emit(
                    ItemSample(
                        itemID: itemID, deviceID: device, timestamp: timestamp, result: .success(cell.value),
                        rate: rate, instance: ItemInstance(key: cell.instance, label: labels[cell.instance])))
            }
        }
    }

    /// Walks the columns of `items` and those labelling their rows; a 64-bit counter column
    /// without rows is read again from its 32-bit counterpart, which later walks then read
    /// directly. Returns the column each item was read from, and the walk.
    private func walk(_ items: [AgentConfiguration.Item], at target: SNMPTarget) async -> (
        [String], Result<SNMPTableWalk, SNMPError>
    ) {
        let known = substitutes.withLock { $0 }
        var columns = items.map { known[$0.id] ?? String(Self.normalized($0.oid)) }
        func labelled(_ columns: [String]) -> [String] {
            Array(Set(columns + columns.compactMap(TableLabelColumns.labelColumn(of:)))).sorted()
        }
        var walk: SNMPTableWalk
        do {
            walk = try await engine.walkColumns(labelled(columns), from: target)
            let missing = zip(items, columns).compactMap { item, column in
                (walk.columns[column] ?? []).isEmpty
                    ? CounterFallbackColumns.thirtyTwoBit(of: column).map { (item.id, $0) } : nil
            }
            if !missing.isEmpty {
                let fallback = try await engine.walkColumns(labelled(missing.map { $0.1 }), from: target)
                walk.columns.merge(fallback.columns) { old, new in old.isEmpty ? new : old }
                walk.requests += fallback.requests
                let found = missing.filter { !(fallback.columns[$0.1] ?? []).isEmpty }
                substitutes.withLock { for (id, column) in found { $0[id] = column } }
                for (index, item) in items.enumerated() {
                    if let column = found.first(where: { $0.0 == item.id })?.1 { columns[index] = column }
                }
            }
        } catch {
            return (columns, .failure(error))
        }
        walkRequests.add(walk.requests, ordering: .relaxed)
        return (columns, .success(walk))
    }

    /// Row instance → label, from the cells of a label column (control characters removed).
    private static func labels(in cells: [SNMPTableWalk.Cell]?) -> [String: String] {
        var labels: [String: String] = [:]
        for cell in cells ?? [] {
            if let label = ItemInstance.sanitisedLabel(cell.value.textValue) { labels[cell.instance] = label }
        }
        return labels
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
                let rate = rates.withLock { $0.record(value, for: RateKey(item: itemID), at: timestamp) }
                return ItemSample(
                    itemID: itemID, deviceID: device, timestamp: timestamp, result: .success(value), rate: rate)
            }
        }
    }

    private static func normalized(_ oid: String) -> Substring {
        oid.hasPrefix(".") ? oid.dropFirst() : Substring(oid)
    }
}
