import Foundation

/// Maintenance windows with the devices each one covers (branch and region targets expanded
/// to their devices): answers "is this device in maintenance at this time" without the database.
public struct MaintenanceCoverage: Sendable, Equatable {
    /// The windows, soonest first.
    public let windows: [MaintenanceWindowRecord]
    /// The windows covering each device.
    private let windowsByDevice: [UUID: [Int]]

    /// No window.
    public init() {
        windows = []
        windowsByDevice = [:]
    }

    /// `windows` and the devices each one covers (by window id).
    public init(windows: [MaintenanceWindowRecord], devices: [UUID: Set<UUID>]) {
        self.windows = windows
        var byDevice: [UUID: [Int]] = [:]
        for (index, window) in windows.enumerated() {
            for device in devices[window.id] ?? [] { byDevice[device, default: []].append(index) }
        }
        windowsByDevice = byDevice
    }

    /// The id of a window open at `time` that covers `device` (the soonest-starting one), if any.
    public func window(covering device: UUID, at time: Date) -> UUID? {
        windowsByDevice[device]?.lazy.map { windows[$0] }.first { $0.isActive(at: time) }?.id
    }

    /// Every device in a window open at `time`, with that window's id.
    public func activeDevices(at time: Date) -> [UUID: UUID] {
        let open = Set(windows.indices.filter { windows[$0].isActive(at: time) })
        guard !open.isEmpty else { return [:] }
        return windowsByDevice.compactMapValues { indices in indices.first(where: open.contains).map { windows[$0].id }
        }
    }
}
