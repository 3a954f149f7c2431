import Foundation
import Hummingbird
import Logging
import OutpostStore

/// Monitoring templates: `/api/v1/templates` lists and imports (one template or an array in the
/// import format, upserted by name), `/api/v1/templates/{name}` exports and deletes (built-in
/// ones are kept), `/api/v1/templates/{name}/apply` materialises the items on devices. The name
/// is percent-encoded in the path (`Cisco%20IOS%2FIOS-XE`).
struct TemplateRoutes: Sendable {
    /// One template of the listing.
    struct Summary: Encodable {
        let name: String
        let vendor: String?
        let itemCount: Int
        let triggerCount: Int
        let builtin: Bool
        let deviceCount: Int
    }

    struct ImportResult: Encodable {
        let created: [String]
        let updated: [String]
        let unchanged: [String]
    }

    /// The body of `apply`: either `device_ids` or `match: true`.
    struct ApplyBody: Decodable {
        let deviceIDs: [UUID]?
        let match: Bool

        init(from decoder: any Decoder) throws {
            let fields = try JSONFields(from: decoder, known: ["deviceIds", "match"])
            deviceIDs = try fields.optional("deviceIds")
            match = try fields.optional("match") ?? false
        }
    }

    struct ApplyResult: Encodable {
        let devices: Int
        let created: Int
        let updated: Int
        let unchanged: Int
        let removed: Int
    }

    let logger: Logger

    func register(on api: ManagementAPI) {
        let store = TemplateStore(logger: logger)
        api.on(.get, "templates", .read) { _, _, user in
            let templates = try await user.run { try await store.list(on: $0) }
            return JSONResponse.make(
                APIListing(
                    name: "templates",
                    items: templates.map {
                        Summary(
                            name: $0.name, vendor: $0.vendor, itemCount: $0.itemCount, triggerCount: $0.triggerCount,
                            builtin: $0.isBuiltin, deviceCount: $0.deviceCount)
                    }))
        }
        api.on(.get, "templates/{name}", .read) { _, context, user in
            let name = Self.name(in: context)
            let stored = try await Self.mapped { try await user.run { try await store.document(named: name, on: $0) } }
            guard let stored else { throw APIError.notFound("no template named \(name.debugDescription)") }
            return JSONResponse.make(stored.template)
        }
        api.on(.post, "templates", .configure) { request, _, user in
            let data: ByteBuffer
            do {
                data = try await request.body.collect(upTo: RequestBody.maximumJSONBytes)
            } catch {
                throw APIError(
                    status: .contentTooLarge, message: "body larger than \(RequestBody.maximumJSONBytes) bytes")
            }
            let result = try await Self.mapped {
                let templates = try TemplateStore.templates(inJSON: Data(buffer: data), source: "body")
                return try await user.run {
                    try await store.importTemplates(templates, builtin: false, by: user.actor, on: $0)
                }
            }
            return JSONResponse.make(
                ImportResult(created: result.created, updated: result.updated, unchanged: result.unchanged),
                status: result.created.isEmpty ? .ok : .created)
        }
        api.on(.post, "templates/{name}/apply", .configure) { request, context, user in
            let name = Self.name(in: context)
            let body = try await RequestBody.decode(ApplyBody.self, from: request)
            let target: TemplateStore.Target
            switch (body.deviceIDs, body.match) {
            case (let ids?, false):
                guard (1...10_000).contains(ids.count) else {
                    throw APIError.badRequest("1 to 10000 device ids", field: "device_ids")
                }
                target = .devices(ids.map(\.uuidString))
            case (nil, true): target = .matching
            default: throw APIError.badRequest("give either device_ids or match: true", field: "device_ids")
            }
            let result = try await Self.mapped {
                try await user.run { try await store.apply(name, to: target, by: user.actor, on: $0) }
            }
            return JSONResponse.make(
                ApplyResult(
                    devices: result.devices, created: result.created, updated: result.updated,
                    unchanged: result.unchanged, removed: result.removed))
        }
        api.on(.delete, "templates/{name}", .configure) { _, context, user in
            let name = Self.name(in: context)
            try await Self.mapped { try await user.run { try await store.delete(name, by: user.actor, on: $0) } }
            return Response(status: .noContent)
        }
    }

    /// The template's name from the path, percent-decoded (names may hold spaces and slashes).
    private static func name(in context: OperatorRequestContext) -> String {
        let raw = context.parameters.get("name") ?? ""
        return raw.removingPercentEncoding ?? raw
    }

    /// `work`, its template and device errors as API errors.
    private static func mapped<T>(_ work: () async throws -> T) async throws -> T {
        do {
            return try await work()
        } catch let error as TemplateError {
            switch error {
            case .unknownTemplate: throw APIError.notFound(error.description)
            case .builtin: throw APIError.conflict(error.description)
            case .invalid, .unreadable: throw APIError.badRequest(error.description, field: "templates")
            case .nothingToMatch: throw APIError.badRequest(error.description, field: "match")
            }
        } catch let error as DeviceLookupError {
            throw APIError.badRequest(error.description, field: "device_ids")
        }
    }
}
