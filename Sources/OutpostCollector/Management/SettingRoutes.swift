import Hummingbird
import Logging
import OutpostStore

/// The collector's typed settings (``SystemSetting/all``): `GET /api/v1/settings` lists each
/// with its value or default, `PUT /api/v1/settings/{key}` with `{"value": …}` changes one.
struct SettingRoutes: Sendable {
    /// One setting as the API shows it.
    struct Setting: Encodable {
        let key: String
        let type: String
        let value: Double
        let `default`: Double
        let minimum: Double
        let maximum: Double
        let isDefault: Bool
        let description: String

        init(_ value: SystemSettingStore.Value) {
            key = value.setting.key
            type = value.setting.kind.rawValue
            self.value = value.value
            self.default = value.setting.defaultValue
            minimum = value.setting.range.lowerBound
            maximum = value.setting.range.upperBound
            isDefault = value.isDefault
            description = value.setting.description
        }
    }

    struct Change: Decodable {
        let value: Double

        init(from decoder: any Decoder) throws {
            value = try JSONFields(from: decoder, known: ["value"]).required("value")
        }
    }

    let logger: Logger

    func register(on api: ManagementAPI) {
        let store = SystemSettingStore(logger: logger)
        api.on(.get, "settings", .read) { _, _, user in
            let values = try await user.run { try await store.list(on: $0) }
            return JSONResponse.make(APIListing(name: "settings", items: values.map(Setting.init)))
        }
        api.on(.put, "settings/{key}", .configure) { request, context, user in
            let key = context.parameters.get("key") ?? ""
            guard SystemSetting.named(key) != nil else { throw APIError.notFound("no setting \(key.debugDescription)") }
            let change = try await RequestBody.decode(Change.self, from: request)
            do {
                let value = try await user.run { try await store.set(key, to: change.value, by: user.actor, on: $0) }
                return JSONResponse.make(Setting(value))
            } catch let SystemSettingError.outOfRange(_, reason) {
                throw APIError.badRequest(reason, field: "value")
            }
        }
    }
}
