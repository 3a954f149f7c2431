import Foundation

/// Which device each device of a branch depends on to be reachable: its parent, the neighbour
/// one hop nearer the branch's gateway in the LLDP/CDP topology (`docs/topology.md`).
///
/// The gateway (set by hand, `branches.gateway_device_id`) is the root. Parents come from a
/// breadth-first walk of the active edges between the branch's devices from the gateway (ties
/// broken by device id, so the tree is stable); a device the topology does not connect to the
/// gateway depends on the gateway directly, as before the topology existed.
public struct DependencyTree: Sendable, Equatable {
    /// Device → the device it depends on.
    public private(set) var parents: [UUID: UUID] = [:]

    /// An empty tree (no dependencies).
    public init() {}

    /// The tree of a branch rooted at `gateway`, over undirected `links` between its `devices`.
    public init(gateway: UUID, devices: Set<UUID>, links: [(UUID, UUID)]) {
        var adjacent: [UUID: Set<UUID>] = [:]
        for (a, b) in links where a != b && devices.contains(a) && devices.contains(b) {
            adjacent[a, default: []].insert(b)
            adjacent[b, default: []].insert(a)
        }
        var frontier = [gateway]
        var reached: Set<UUID> = [gateway]
        while !frontier.isEmpty {
            var next: [UUID] = []
            for node in frontier {
                for neighbour in (adjacent[node] ?? []).sorted(by: { $0.uuidString < $1.uuidString })
                where reached.insert(neighbour).inserted {
                    parents[neighbour] = node
                    next.append(neighbour)
                }
            }
            frontier = next.sorted { $0.uuidString < $1.uuidString }
        }
        for device in devices where !reached.contains(device) { parents[device] = gateway }
    }

    /// Adds the parents of `other` (another branch's tree).
    public mutating func merge(_ other: DependencyTree) {
        parents.merge(other.parents) { _, new in new }
    }

    /// The devices between `device` and the root, nearest first, ending with the root; empty
    /// for the root or a device without dependencies.
    public func upstream(of device: UUID) -> [UUID] {
        var path: [UUID] = []
        var seen: Set<UUID> = [device]
        var current = device
        while let parent = parents[current], seen.insert(parent).inserted {
            path.append(parent)
            current = parent
        }
        return path
    }
}
