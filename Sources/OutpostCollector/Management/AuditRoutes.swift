import Foundation
import Hummingbird
import Logging
import OutpostStore

/// `GET /api/v1/audit`: the audit log, newest first, filtered by `entity`, `entity_id`,
/// `actor`, `since` and `until`, a page of `limit` entries after the cursor `before`.
struct AuditRoutes: Sendable {
    /// One entry as the API shows it: the changes as a JSON object.
    struct Entry: Encodable {
        let id: Int64
        let at: Date
        let actor: String
        let source: String
        let action: String
        let entity: String
        let entityID: String?
        let changes: JSONText
    }

    struct Page: Encodable {
        let entries: [Entry]
        let nextBefore: Int64?
    }

    let logger: Logger

    func register(on api: ManagementAPI) {
        let log = AuditLog(logger: logger)
        api.on(.get, "audit", .administer) { request, _, user in
            let query = QueryOptions(request)
            var filter = AuditFilter()
            filter.entity = try query.text("entity", maximumLength: 50)
            filter.entityID = try query.text("entity_id", maximumLength: 100)
            filter.actor = try query.text("actor", maximumLength: 100)
            filter.since = try query.date("since")
            filter.until = try query.date("until")
            filter.before = try query.integer("before", in: 1...Int(Int64.max)).map(Int64.init)
            filter.limit = try query.integer("limit", in: 1...1000) ?? 100
            let records = try await user.run { [filter] in try await log.list(filter, on: $0) }
            let entries = records.map {
                Entry(
                    id: $0.id, at: $0.at, actor: $0.actor, source: $0.source, action: $0.action, entity: $0.entity,
                    entityID: $0.entityID, changes: JSONText($0.changesJSON))
            }
            return JSONResponse.make(
                Page(entries: entries, nextBefore: records.count == filter.limit ? records.last?.id : nil))
        }
    }
}

/// JSON text stored by PostgreSQL, embedded as it is in a response.
struct JSONText: Encodable {
    let value: JSONValue

    init(_ text: String) {
        value = (try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))) ?? .null
    }

    func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
}

/// Any JSON value.
indirect enum JSONValue: Codable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}
