import Foundation
import Logging
import OutpostCore
import OutpostStore
import PostgresNIO

/// The engine's evaluation state, owned by its single evaluation loop: per-device windows,
/// what is known of each device, and the open episode of each (rule, device) pair.
struct AlertEvaluator {
    private struct Key: Hashable {
        let rule: UUID
        let device: UUID
    }

    private var rules = AlertRuleSet()
    private let client: PostgresClient
    private let store: AlertRuleStore
    private let notifier: WebhookNotifier
    private let logger: Logger
    private var windows: [UUID: DeviceWindows] = [:]
    private var devices: [UUID: AlertDeviceInfo] = [:]
    private var itemNames: [UUID: String] = [:]
    /// `alert_history.id` of each firing pair.
    private var open: [Key: UUID] = [:]

    init(client: PostgresClient, store: AlertRuleStore, notifier: WebhookNotifier, logger: Logger, open: [OpenAlertEpisode]) {
        self.client = client
        self.store = store
        self.notifier = notifier
        self.logger = logger
        for alert in open { self.open[Key(rule: alert.ruleID, device: alert.deviceID)] = alert.historyID }
    }

    /// Evaluates `set` from now on; after a reload, devices and item names are read again
    /// (a device may have moved to another branch, an item may have been renamed).
    mutating func use(_ set: AlertRuleSet) {
        if set.generation != rules.generation {
            devices = [:]
            itemNames = [:]
        }
        rules = set
    }

    /// Adds the batches' rounds and samples to the windows, then evaluates the rules in scope
    /// of every device they touched.
    mutating func evaluate(_ batches: [IngestBatch]) async {
        let rounds = batches.flatMap(\.pings).sorted { $0.timestamp < $1.timestamp }
        let samples = batches.flatMap(\.samples).sorted { $0.timestamp < $1.timestamp }
        let touched = Set(rounds.map(\.deviceID.uuid)).union(samples.map(\.deviceID.uuid))
        guard !touched.isEmpty else { return }
        do {
            try await learn(devices: touched, items: samples)
        } catch {
            logger.error("alert engine cannot read devices; batch evaluated with what is known", metadata: ["error": "\(String(reflecting: error))"])
        }
        await warmUp(rounds)
        for round in rounds { windows[round.deviceID.uuid, default: DeviceWindows()].add(round) }
        for sample in samples {
            guard let name = itemNames[sample.itemID.uuid] else { continue }
            windows[sample.deviceID.uuid, default: DeviceWindows()].add(sample, name: name)
        }
        for deviceID in touched.sorted(by: { $0.uuidString < $1.uuidString }) {
            windows[deviceID]?.trim(keeping: rules.retention)
            guard let device = devices[deviceID], let window = windows[deviceID], let now = window.newest else { continue }
            for loaded in rules.rules(for: device) {
                await evaluate(loaded, on: device, window: window, at: now)
            }
        }
    }

    /// Reads the devices and item names not seen before.
    private mutating func learn(devices touched: Set<UUID>, items samples: [ItemSample]) async throws {
        let unknownDevices = touched.filter { devices[$0] == nil }
        let unknownItems = samples.filter { itemNames[$0.itemID.uuid] == nil }
        guard !unknownDevices.isEmpty || !unknownItems.isEmpty else { return }
        let itemDevices = Array(Set(unknownItems.map(\.deviceID.uuid)))
        let (found, names) = try await client.withConnection { connection in
            (try await store.devices(Array(unknownDevices), on: connection),
             itemDevices.isEmpty ? [:] : try await store.itemNames(devices: itemDevices, on: connection))
        }
        for device in found { devices[device.id] = device }
        itemNames.merge(names) { _, new in new }
    }

    /// Rounds replayed from `ping_results` for a device seen for the first time.
    static let warmUpRounds = 1_000

    /// Gives each device seen for the first time the rounds stored before this batch's, so a
    /// restarted engine continues counting (`ping_unreachable`, `status_changes`) where it was.
    private mutating func warmUp(_ rounds: [PingRoundResult]) async {
        var earliest: [DeviceID: Date] = [:]
        for round in rounds where windows[round.deviceID.uuid] == nil && earliest[round.deviceID] == nil {
            earliest[round.deviceID] = round.timestamp  // rounds are sorted: the first is the earliest
        }
        let seconds = max(rules.retention, 3_600)
        for (device, before) in earliest {
            do {
                let history = try await client.withConnection { connection in
                    try await store.recentPings(device: device, before: before, seconds: seconds, limit: Self.warmUpRounds, on: connection)
                }
                var window = DeviceWindows()
                for round in history { window.add(round) }
                windows[device.uuid] = window
            } catch {
                logger.error("alert engine cannot read a device's recent rounds", metadata: [
                    "device": "\(device)", "error": "\(String(reflecting: error))",
                ])
            }
        }
    }

    /// Evaluates one rule for one device and moves its episode on.
    private mutating func evaluate(_ loaded: LoadedAlertRule, on device: AlertDeviceInfo, window: DeviceWindows, at now: Date) async {
        let key = Key(rule: loaded.record.id, device: device.id)
        let outcome = loaded.rule.evaluate(RuleWindows(now: now, series: window.series))
        let value = Self.value(of: loaded.rule, in: window)
        switch (outcome, open[key]) {
        case (.true, nil):
            let message = "\(loaded.record.name) on \(device.name): \(loaded.rule.syntax)" + (value.map { " (value \($0))" } ?? "")
            do {
                let id = try await client.withConnection { connection in
                    try await store.insertFiring(rule: loaded.record, deviceID: device.id, message: message, value: value, at: now, on: connection)
                }
                open[key] = id
                logger.notice("alert firing", metadata: ["alert": "\(id)", "rule": "\(loaded.record.name)", "device": "\(device.name)"])
                notify(.firing, id: id, loaded.record, device, message: message, value: value, at: now)
            } catch {
                logger.error("could not record a firing alert", metadata: ["rule": "\(loaded.record.id)", "error": "\(String(reflecting: error))"])
            }
        case (.false, let id?):
            do {
                try await client.withConnection { try await store.resolve(historyID: id, at: now, on: $0) }
                open[key] = nil
                logger.notice("alert resolved", metadata: ["alert": "\(id)", "rule": "\(loaded.record.name)", "device": "\(device.name)"])
                notify(.resolved, id: id, loaded.record, device, message: "resolved: \(loaded.record.name) on \(device.name)", value: value, at: now)
            } catch {
                logger.error("could not resolve an alert", metadata: ["alert": "\(id)", "error": "\(String(reflecting: error))"])
            }
        default:
            break  // unchanged, or unknown: missing data neither opens nor closes an episode
        }
    }

    /// The last value of the rule's first variable, for the message and `alert_history.value`.
    private static func value(of rule: AlertRule, in window: DeviceWindows) -> String? {
        guard let name = rule.variables.first, let last = window.series[name]?.last else { return nil }
        switch last.value {
        case .number(let number): return number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        case .string(let text): return text
        case .boolean(let flag): return flag ? "true" : "false"
        }
    }

    private func notify(
        _ event: AlertNotification.Event, id: UUID, _ rule: AlertRuleRecord, _ device: AlertDeviceInfo,
        message: String, value: String?, at time: Date
    ) {
        guard !rule.webhooks.isEmpty else { return }
        let payload = AlertNotification.Payload(
            event: event.rawValue, alertID: id, ruleID: rule.id, ruleName: rule.name, severity: rule.severity,
            deviceID: device.id, deviceName: device.name, message: message, value: value, expression: rule.expression, at: time)
        guard let body = try? JSONEncoder.alerts.encode(payload) else { return }
        for text in rule.webhooks {
            guard let url = URL(string: text), url.scheme == "http" || url.scheme == "https" else {
                logger.warning("alert rule has a webhook that is not an http(s) URL; skipped", metadata: ["rule": "\(rule.id)"])
                continue
            }
            notifier.enqueue(AlertNotification(historyID: id, event: event, url: url, body: body))
        }
    }
}
