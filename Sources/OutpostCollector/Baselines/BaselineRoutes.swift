import Foundation
import Hummingbird
import Logging
import OutpostStore
import PostgresNIO

/// `GET /api/v1/devices/{id}/baselines`: a device's RTT, loss and item baselines per hour of
/// week (docs/alert-rules.md, "Baselines"). A regional manager reaches only devices of their
/// regions: others answer 404.
struct BaselineRoutes: Sendable {
    /// The response: hours without a baseline are absent.
    struct Baselines: Encodable, Sendable {
        struct PingHour: Encodable, Sendable {
            let hourOfWeek: Int
            let rttMedianMs: Double?
            let rttMadMs: Double?
            let rttSamples: Int
            let lossMedianPercent: Double?
            let lossMadPercent: Double?
            let lossSamples: Int
            let computedAt: Date
        }

        struct ItemHour: Encodable, Sendable {
            let itemId: UUID
            let name: String
            let hourOfWeek: Int
            let median: Double
            let mad: Double
            let samples: Int
            let computedAt: Date
        }

        let deviceId: UUID
        let computedThrough: Date?
        let hours: [PingHour]
        let items: [ItemHour]

        init(_ baselines: DeviceBaselines) {
            deviceId = baselines.deviceID
            computedThrough = baselines.computedThrough
            hours = baselines.ping.map {
                PingHour(
                    hourOfWeek: $0.hourOfWeek, rttMedianMs: $0.rttMedianMs, rttMadMs: $0.rttMADMs,
                    rttSamples: $0.rttSamples, lossMedianPercent: $0.lossMedianPercent,
                    lossMadPercent: $0.lossMADPercent, lossSamples: $0.lossSamples, computedAt: $0.computedAt)
            }
            items = baselines.items.map {
                ItemHour(
                    itemId: $0.itemID, name: $0.itemName, hourOfWeek: $0.hourOfWeek, median: $0.median, mad: $0.mad,
                    samples: $0.samples, computedAt: $0.computedAt)
            }
        }
    }

    let logger: Logger

    func register(on api: ManagementAPI) {
        let store = BaselineStore(logger: logger)
        let inventory = DeviceInventory(logger: logger)
        api.on(.get, "devices/{id}/baselines", .read) { _, context, user in
            let id = try context.parameters.uuid("id")
            let baselines = try await user.run { connection in
                guard let device = try await inventory.device(id: id, on: connection),
                    AccessPolicy.reaches(user.principal, region: device.region),
                    let baselines = try await store.baselines(device: id, on: connection)
                else { throw APIError.notFound("no device \(id.uuidString.lowercased())") }
                return baselines
            }
            return JSONResponse.make(Baselines(baselines))
        }
    }
}
