import Foundation
import OutpostCore
import OutpostStore
import PostgresNIO

extension AlertEvaluator {
    /// How long a dependency tree read from the topology is used before it is read again.
    static let dependencyRefresh: TimeInterval = 30

    /// The open alert of a device the device depends on (its path to the agent, from the
    /// LLDP/CDP topology; else its branch's edge router) while that device's last ping round
    /// failed: the device's own alerts are then recorded as suppressed by it and do not page.
    /// Of several such devices on the path, the one nearest the gateway suppresses: it is the
    /// cause, the others are casualties of it (`docs/topology.md`).
    func suppressor(of device: AlertDeviceInfo) -> UUID? {
        for upstream in path(of: device).reversed() {
            guard let last = windows[upstream]?.series["ping_unreachable"]?.last,
                case .number(let failures) = last.value, failures > 0
            else { continue }
            if let alert = pairs.filter({ $0.key.device == upstream }).compactMap(\.value.firingID).min(by: {
                $0.uuidString < $1.uuidString
            }) {
                return alert
            }
        }
        return nil
    }

    /// The devices `device` depends on, nearest first: its topology path to the gateway, or
    /// the gateway alone when the topology does not place it.
    func path(of device: AlertDeviceInfo) -> [UUID] {
        let path = dependencies.tree.upstream(of: device.id)
        if !path.isEmpty { return path }
        guard let gateway = device.gatewayID, gateway != device.id else { return [] }
        return [gateway]
    }

    /// Evaluation order key: devices nearer the gateway first, so that their alerts are open
    /// when the devices behind them are evaluated.
    func dependencyDepth(of id: UUID) -> Int {
        guard let device = devices[id] else { return Int.max }
        return path(of: device).count
    }

    /// Reads the dependency trees of the known devices' branches again when they are older than
    /// ``dependencyRefresh`` or a branch is new to them; a failed read keeps the previous trees.
    mutating func refreshDependencies(now: Date = Date()) async {
        let branches = Set(devices.values.compactMap(\.branchID))
        guard !branches.isEmpty,
            !branches.isSubset(of: dependencies.branches)
                || now.timeIntervalSince(dependencies.readAt) >= Self.dependencyRefresh
        else { return }
        do {
            let tree = try await client.withConnection(timeout: PostgresClient.callTimeout) { [logger] connection in
                try await TopologyStore(logger: logger).dependencies(branches: Array(branches), on: connection)
            }
            dependencies = DependencySnapshot(tree: tree, branches: branches, readAt: now)
        } catch {
            logger.error(
                "alert engine cannot read the topology; dependencies as last read",
                metadata: ["error": "\(String(reflecting: error))"])
        }
    }
}

/// The dependency trees the alert engine last read, of which branches and when.
struct DependencySnapshot {
    var tree = DependencyTree()
    var branches: Set<UUID> = []
    var readAt = Date.distantPast
}
