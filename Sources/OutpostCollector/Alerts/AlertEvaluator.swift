import Foundation
import Logging
import OutpostCore
import OutpostRules
import OutpostStore
import PostgresNIO

/// The engine's evaluation state, owned by its single evaluation loop: per-device windows,
/// what is known of each device, and the state of each (rule, device) pair in the scopes
/// (branches) this engine holds the lease of. Flapping, topology dependencies and
/// notifications are in the `AlertEvaluator+…` files. A device in an open maintenance window
/// (``maintenance``) has its alerts recorded with `in_maintenance` and pages nobody. Completed
/// traces give the `path_changed` variable; a rule's `trace` action is in `AlertEvaluator+Trace`.
struct AlertEvaluator {
    struct Key: Hashable {
        let rule: UUID
        let device: UUID
    }

    private var rules = AlertRuleSet()
    let client: PostgresClient
    let store: AlertRuleStore
    let notifier: AlertNotifier
    let logger: Logger
    private let flapping: FlapDetector.Configuration
    /// Rate limit of the traces of `trace` actions (shared with the down traces).
    let traceLimits: DiagnosticJobStore.DownTraceLimits
    private var leases: AlertLeases
    private(set) var windows: [UUID: DeviceWindows] = [:]
    private(set) var devices: [UUID: AlertDeviceInfo] = [:]
    /// Which device each device depends on (``refreshDependencies(now:)``).
    var dependencies = DependencySnapshot()
    private var itemNames: [UUID: String] = [:]
    /// The IF-MIB column of the interface items among them (for the interface variables).
    private var interfaceColumns: [UUID: InterfaceColumn] = [:]
    private(set) var pairs: [Key: AlertPairState] = [:]
    /// The maintenance windows in force, as last read by the engine.
    var maintenance = MaintenanceCoverage()
    /// The baselines of the hour of week each device is evaluated at.
    private var baselines: AlertBaselines

    init(
        client: PostgresClient, store: AlertRuleStore, notifier: AlertNotifier, flapping: FlapDetector.Configuration,
        leases: AlertLeases, traceLimits: DiagnosticJobStore.DownTraceLimits = .init(), logger: Logger
    ) {
        self.client = client
        self.traceLimits = traceLimits
        self.store = store
        self.notifier = notifier
        self.flapping = flapping
        self.leases = leases
        self.logger = logger
        baselines = AlertBaselines(logger: logger)
    }

    /// Evaluates `set` from now on; after a reload, devices and item names are read again
    /// (a device may have moved to another branch, an item may have been renamed).
    mutating func use(_ set: AlertRuleSet) {
        if set.generation != rules.generation {
            devices = [:]
            itemNames = [:]
            interfaceColumns = [:]
        }
        rules = set
    }

    /// Adds the batches' rounds and samples to the windows, then evaluates the rules in scope
    /// of every device they touched whose branch this engine holds the lease of (edge routers
    /// first, so that their devices' alerts see them down).
    mutating func evaluate(_ batches: [IngestBatch]) async {
        let rounds = batches.flatMap(\.pings).sorted { $0.timestamp < $1.timestamp }
        let samples = batches.flatMap(\.samples).sorted { $0.timestamp < $1.timestamp }
        let touched = Set(rounds.map(\.deviceID.uuid)).union(samples.map(\.deviceID.uuid))
        guard !touched.isEmpty else { return }
        do {
            try await learn(devices: touched, items: samples)
        } catch {
            logger.error(
                "alert engine cannot read devices; batch evaluated with what is known",
                metadata: ["error": "\(String(reflecting: error))"])
        }
        var earliest: [DeviceID: Date] = [:]
        for round in rounds where earliest[round.deviceID] == nil {
            earliest[round.deviceID] = round.timestamp  // rounds are sorted: the first is the earliest
        }
        await warmUp(earliest)
        for round in rounds {
            windows[round.deviceID.uuid, default: DeviceWindows()].add(round)
            if let device = devices[round.deviceID.uuid] {
                windows[round.deviceID.uuid]?.add(ispLink: device.isISPLink, at: round.timestamp)
            }
        }
        for sample in samples {
            guard let name = itemNames[sample.itemID.uuid] else { continue }
            windows[sample.deviceID.uuid, default: DeviceWindows()].add(
                sample, name: name, interface: interfaceColumns[sample.itemID.uuid])
        }
        await evaluateRules(of: touched)
    }

    /// Adds a completed trace's `path_changed` sample (false for a device's first trace: nothing
    /// to compare with) at its completion time, then evaluates the device's rules as a commit does.
    mutating func evaluate(_ trace: DiagnosticJobEnding) async {
        let device = trace.deviceID
        do {
            try await learn(devices: [device], items: [])
        } catch {
            logger.error(
                "alert engine cannot read a traced device; trace evaluated with what is known",
                metadata: ["error": "\(String(reflecting: error))"])
        }
        await warmUp([DeviceID(device): trace.completedAt])
        windows[device, default: DeviceWindows()].add(pathChanged: trace.pathChanged ?? false, at: trace.completedAt)
        await evaluateRules(of: [device])
    }

    /// Evaluates the rules in scope of every device of `touched` whose branch this engine holds
    /// the lease of (edge routers first, so that their devices' alerts see them down).
    private mutating func evaluateRules(of touched: Set<UUID>) async {
        let owned = await ownedScopes(of: touched)
        await refreshDependencies()
        let order = touched.sorted {
            (dependencyDepth(of: $0), $0.uuidString) < (dependencyDepth(of: $1), $1.uuidString)
        }
        var evaluatedAt: [UUID: Date] = [:]
        for deviceID in touched {
            if let device = devices[deviceID], owned.contains(device.leaseScope) {
                evaluatedAt[deviceID] = windows[deviceID]?.newest
            }
        }
        await baselines.refresh(evaluatedAt, rules: rules, client: client, logger: logger)
        for deviceID in order {
            windows[deviceID]?.trim(keeping: rules.retention)
            guard let device = devices[deviceID], owned.contains(device.leaseScope),
                let window = windows[deviceID], let now = window.newest
            else { continue }
            let maintenanceWindow = maintenance.window(covering: deviceID, at: now)
            for loaded in rules.rules(for: device) {
                await evaluate(loaded, on: device, window: window, at: now, maintenanceWindow: maintenanceWindow)
            }
        }
    }

    /// The scopes of `touched` this engine holds; re-reads the open alerts of newly taken ones.
    private mutating func ownedScopes(of touched: Set<UUID>) async -> Set<UUID> {
        let scopes = Set(touched.compactMap { devices[$0]?.leaseScope })
        do {
            let ownership = try await leases.own(scopes, client: client)
            let changed = ownership.acquired.union(ownership.lost)
            if !changed.isEmpty {
                pairs = pairs.filter { key, _ in devices[key.device].map { !changed.contains($0.leaseScope) } ?? true }
            }
            if !ownership.acquired.isEmpty {
                let open = try await client.withConnection(timeout: PostgresClient.callTimeout) { [store] in
                    try await store.openAlerts(scopes: Array(ownership.acquired), on: $0)
                }
                adopt(open)
                logger.info(
                    "alert leases taken",
                    metadata: ["scopes": "\(ownership.acquired.count)", "open_alerts": "\(open.count)"])
            }
            return ownership.owned
        } catch {
            logger.error(
                "alert engine cannot renew its leases; their devices are not evaluated",
                metadata: ["error": "\(String(reflecting: error))"])
            return []
        }
    }

    /// Continues the episodes and flapping periods recorded in `alert_history`.
    private mutating func adopt(_ open: [OpenAlertEpisode]) {
        for episode in open {
            let key = Key(rule: episode.ruleID, device: episode.deviceID)
            var pair = pairs[key] ?? AlertPairState()
            if episode.isFlapping {
                pair.flap = FlapDetector(restoredFlapping: flapping)
                pair.flappingRecord = episode.historyID
            } else {
                pair.phase = .firing(
                    historyID: episode.historyID, suppressedBy: episode.suppressedBy, notified: episode.notified)
            }
            pairs[key] = pair
        }
    }

    /// Reads the devices and item names not seen before.
    private mutating func learn(devices touched: Set<UUID>, items samples: [ItemSample]) async throws {
        let unknownDevices = touched.filter { devices[$0] == nil }
        let unknownItems = samples.filter { itemNames[$0.itemID.uuid] == nil }
        guard !unknownDevices.isEmpty || !unknownItems.isEmpty else { return }
        let itemDevices = Array(Set(unknownItems.map(\.deviceID.uuid)))
        let (found, names, columns) = try await client.withConnection(timeout: PostgresClient.callTimeout) {
            [store, logger] connection in
            (
                try await store.devices(Array(unknownDevices), on: connection),
                itemDevices.isEmpty ? [:] : try await store.itemNames(devices: itemDevices, on: connection),
                itemDevices.isEmpty
                    ? [:] : try await InterfaceColumn.ofItems(devices: itemDevices, on: connection, logger: logger)
            )
        }
        for device in found { devices[device.id] = device }
        itemNames.merge(names) { _, new in new }
        interfaceColumns.merge(columns) { _, new in new }
    }

    /// Rounds replayed from `ping_results` for a device seen for the first time.
    static let warmUpRounds = 1_000

    /// How far back the completed traces of a device seen for the first time are replayed
    /// (`path_changed` alone reads the newest one, however old).
    static let warmUpTraceSeconds = 7.0 * 86_400

    /// Gives each device seen for the first time the rounds and completed traces stored before
    /// `earliest` (its first new sample), so a restarted engine continues counting
    /// (`ping_unreachable`, `status_changes`) where it was and knows the last `path_changed`.
    private mutating func warmUp(_ earliest: [DeviceID: Date]) async {
        let seconds = max(rules.retention, 3_600)
        let traceSeconds = max(rules.retention, Self.warmUpTraceSeconds)
        for (device, before) in earliest where windows[device.uuid] == nil {
            do {
                let (history, traces) = try await client.withConnection(timeout: PostgresClient.callTimeout) {
                    [store, logger] connection in
                    (
                        try await store.recentPings(
                            device: device, before: before, seconds: seconds, limit: Self.warmUpRounds, on: connection),
                        try await DiagnosticJobStore(logger: logger).completedTraces(
                            device: device.uuid, before: before, seconds: traceSeconds, on: connection)
                    )
                }
                var window = DeviceWindows()
                for round in history { window.add(round) }
                for trace in traces { window.add(pathChanged: trace.pathChanged ?? false, at: trace.completedAt) }
                windows[device.uuid] = window
            } catch {
                logger.error(
                    "alert engine cannot read a device's recent rounds",
                    metadata: [
                        "device": "\(device)", "error": "\(String(reflecting: error))",
                    ])
            }
        }
    }

    /// Evaluates one rule for one device: records the check for flap detection, then (unless
    /// the pair flaps) moves its episode on. `unknown` changes nothing. `maintenanceWindow`: the
    /// open maintenance window covering the device at `now`, if any.
    private mutating func evaluate(
        _ loaded: LoadedAlertRule, on device: AlertDeviceInfo, window: DeviceWindows, at now: Date,
        maintenanceWindow: UUID?
    ) async {
        let ruleContext = baselines.context(for: device.id, now: now, series: window.series)
        let outcome = loaded.rule.evaluate(ruleContext)
        guard outcome != .unknown else { return }
        let key = Key(rule: loaded.record.id, device: device.id)
        let context = Context(
            rule: loaded, device: device, value: Self.value(of: loaded.rule, in: ruleContext), now: now,
            maintenanceWindow: maintenanceWindow)
        var pair = pairs[key] ?? AlertPairState()
        switch pair.flap.record(outcome == .true, configuration: flapping) {
        case .started?: await startFlapping(&pair, key: key, context)
        case .stopped?: await stopFlapping(&pair, key: key, context)
        case nil: break
        }
        if !pair.flap.isFlapping {
            await advance(&pair, holds: outcome == .true, context)
        }
        pairs[key] = pair
    }

    /// What one evaluation is about.
    struct Context {
        let rule: LoadedAlertRule
        let device: AlertDeviceInfo
        let value: String?
        let now: Date
        /// The open maintenance window covering the device at `now`: nobody is paged.
        let maintenanceWindow: UUID?
        var record: AlertRuleRecord { rule.record }
    }

    /// ok → pending → firing → ok.
    private func advance(_ pair: inout AlertPairState, holds: Bool, _ context: Context) async {
        switch (holds, pair.phase) {
        case (true, .ok) where context.rule.rule.holdSeconds > 0:
            pair.phase = .pending(since: context.now)
        case (true, .ok):
            await fire(&pair, context)
        case (true, .pending(let since)) where context.now.timeIntervalSince(since) >= context.rule.rule.holdSeconds:
            await fire(&pair, context)
        case (false, .pending):
            pair.phase = .ok
        case (false, .firing(let id, _, let notified)):
            await resolve(&pair, id: id, notified: notified, context)
        case (true, .firing(let id, let suppressedBy, false))
        where suppressor(of: context.device) == nil && context.maintenanceWindow == nil:
            // Not notified yet (suppressed by its edge router, fired in maintenance, or restarted
            // before notifying), and still firing now that neither holds any longer: page now.
            pair.phase = .firing(historyID: id, suppressedBy: suppressedBy, notified: true)
            notify(.firing, id: id, context, message: message(context))
        default:
            break  // still pending, still firing, still ok
        }
    }

    private func message(_ context: Context) -> String {
        "\(context.record.name) on \(context.device.name): \(context.rule.rule.syntax)"
            + (context.value.map { " (value \($0))" } ?? "")
    }

    private func fire(_ pair: inout AlertPairState, _ context: Context) async {
        let parent = suppressor(of: context.device)
        let message = message(context)
        do {
            let id = try await client.withConnection(timeout: PostgresClient.callTimeout) { connection in
                try await store.insertFiring(
                    rule: context.record, deviceID: context.device.id, message: message, value: context.value,
                    at: context.now, suppressedBy: parent, inMaintenance: context.maintenanceWindow != nil,
                    on: connection)
            }
            let pages = parent == nil && context.maintenanceWindow == nil
            pair.phase = .firing(historyID: id, suppressedBy: parent, notified: pages)
            logger.notice(
                "alert firing",
                metadata: [
                    "alert": "\(id)", "rule": "\(context.record.name)", "device": "\(context.device.name)",
                    "suppressed_by": "\(parent.map { "\($0)" } ?? "-")",
                    "maintenance": "\(context.maintenanceWindow.map { "\($0)" } ?? "-")",
                ])
            if pages { notify(.firing, id: id, context, message: message) }
            if context.record.traces { await trace(alert: id, context) }
        } catch {
            logger.error(
                "could not record a firing alert",
                metadata: ["rule": "\(context.record.id)", "error": "\(String(reflecting: error))"])
        }
    }

    private func resolve(_ pair: inout AlertPairState, id: UUID, notified: Bool, _ context: Context) async {
        do {
            try await client.withConnection(timeout: PostgresClient.callTimeout) {
                try await store.resolve(historyID: id, at: context.now, on: $0)
            }
            pair.phase = .ok
            logger.notice(
                "alert resolved",
                metadata: ["alert": "\(id)", "rule": "\(context.record.name)", "device": "\(context.device.name)"])
            if notified {
                notify(
                    .resolved, id: id, context, message: "resolved: \(context.record.name) on \(context.device.name)")
            }
        } catch {
            logger.error(
                "could not resolve an alert", metadata: ["alert": "\(id)", "error": "\(String(reflecting: error))"])
        }
    }

    /// The last value of the rule's first variable, for the message and `alert_history.value`.
    private static func value(of rule: AlertRule, in context: AlertRuleContext) -> String? {
        guard let name = rule.variables.first, let last = context.samples(of: name)?.last else { return nil }
        switch last.value {
        case .number(let number):
            return number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        case .string(let text): return text
        case .boolean(let flag): return flag ? "true" : "false"
        }
    }
}
