import ArgumentParser
import Foundation
import OutpostStore

/// `outpost-collector status`: the devices and their state, as the operator API shows them.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Print every device with its state (up, down, unknown), last RTT and last reply (UTC).")

    @OptionGroup var database: DatabaseOptions
    @Option(help: "Only the devices of this branch (by name).")
    var branch: String?

    func run() async throws {
        let devices: [DeviceStatus]
        do {
            devices = try await database.withConnection { connection, logger in
                try await StatusStore(logger: logger).devices(branch: branch, on: connection)
            }
        } catch let failure as StatusStore.Failure {
            throw ValidationError("--branch: \(failure)")
        }
        let rows = devices.map { device in
            [
                device.branch ?? "-", device.name, device.ip, device.state.rawValue,
                device.latestPing?.rttMs.map { String(format: "%.3f ms", $0) } ?? "-",
                device.latestPing.map { String(format: "%.0f %%", $0.lossPercent) } ?? "-",
                device.lastSeen?.formatted(.iso8601) ?? "never",
            ]
        }
        print(
            TextTable.render(
                header: ["BRANCH", "DEVICE", "IP", "STATE", "LAST RTT", "LOSS", "LAST SEEN (UTC)"], rows: rows))
        let counts = Dictionary(grouping: devices, by: \.state).mapValues(\.count)
        print(
            "\(devices.count) \(devices.count == 1 ? "device" : "devices"): "
                + DeviceState.allCases.map { "\(counts[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", "))
    }
}
