import Foundation
import Hummingbird
import Logging
import OutpostStore
import PostgresNIO

/// A device's interfaces (docs/interfaces.md): `GET /api/v1/devices/{id}/interfaces` lists
/// them, `PUT /api/v1/devices/{id}/interfaces/{ifIndex}/isp` sets the operator's ISP-uplink flag
/// (`{"isp_override": true | false | null}`, null: the alias/description patterns decide). A
/// regional manager reaches only devices of their regions: others answer 404.
struct InterfaceRoutes: Sendable {
    /// A device's interfaces.
    struct Interfaces: Encodable, Sendable {
        let deviceId: UUID
        let interfaces: [DeviceInterface]
    }

    /// The body of the ISP flag update: the key is required, its value may be null.
    struct ISPFlag: Decodable, Sendable {
        let ispOverride: Bool?

        enum CodingKeys: String, CodingKey {
            case ispOverride
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            guard container.contains(.ispOverride) else {
                throw DecodingError.keyNotFound(
                    CodingKeys.ispOverride, .init(codingPath: [], debugDescription: "isp_override is required"))
            }
            ispOverride = try container.decodeIfPresent(Bool.self, forKey: .ispOverride)
        }
    }

    let logger: Logger

    func register(on api: ManagementAPI) {
        let store = InterfaceStore(logger: logger)
        let inventory = DeviceInventory(logger: logger)
        api.on(.get, "devices/{id}/interfaces", .read) { _, context, user in
            let id = try context.parameters.uuid("id")
            let interfaces = try await user.run { connection in
                try await Self.requireDevice(id, inventory, user, on: connection)
                return try await store.interfaces(device: id, on: connection)
            }
            return JSONResponse.make(Interfaces(deviceId: id, interfaces: interfaces))
        }
        api.on(.put, "devices/{id}/interfaces/{ifIndex}/isp", .editDevices) { request, context, user in
            let id = try context.parameters.uuid("id")
            guard let text = context.parameters.get("ifIndex"), text.count <= 10, let ifIndex = Int(text), ifIndex > 0
            else { throw APIError.notFound("no such interface: ifIndex is a positive number") }
            let flag = try await RequestBody.decode(ISPFlag.self, from: request)
            let interfaces = try await user.run { connection in
                try await Self.requireDevice(id, inventory, user, on: connection)
                do {
                    try await store.setISPOverride(
                        flag.ispOverride, device: id, ifIndex: ifIndex, by: user.actor, on: connection)
                } catch InterfaceStore.Failure.unknownInterface {
                    throw APIError.notFound("device \(id.uuidString.lowercased()) has no interface \(ifIndex)")
                }
                return try await store.interfaces(device: id, on: connection)
            }
            return JSONResponse.make(Interfaces(deviceId: id, interfaces: interfaces))
        }
    }

    /// 404 unless device `id` exists and the operator reaches its region.
    private static func requireDevice(
        _ id: UUID, _ inventory: DeviceInventory, _ user: ManagementAPI.Operator, on connection: PostgresConnection
    ) async throws {
        guard let device = try await inventory.device(id: id, on: connection),
            AccessPolicy.reaches(user.principal, region: device.region)
        else { throw APIError.notFound("no device \(id.uuidString.lowercased())") }
    }
}
