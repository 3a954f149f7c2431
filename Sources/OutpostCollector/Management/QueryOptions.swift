import Foundation
import Hummingbird

/// Typed reads of a request's query parameters; a value that does not parse is refused with
/// 400 naming the parameter.
struct QueryOptions {
    private let request: Request

    init(_ request: Request) {
        self.request = request
    }

    /// The parameter as text, at most `maximumLength` characters (empty counts as absent).
    func text(_ name: String, maximumLength: Int = 200) throws -> String? {
        guard let value = request.uri.queryParameters[Substring(name)].map(String.init), !value.isEmpty else {
            return nil
        }
        guard value.count <= maximumLength else {
            throw APIError.badRequest("at most \(maximumLength) characters", field: name)
        }
        return value
    }

    /// The parameter as an integer within `range`.
    func integer(_ name: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let text = try text(name, maximumLength: 20) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw APIError.badRequest("an integer from \(range.lowerBound) to \(range.upperBound)", field: name)
        }
        return value
    }

    /// The parameter as a boolean (`true`/`false`).
    func boolean(_ name: String) throws -> Bool? {
        guard let text = try text(name, maximumLength: 5) else { return nil }
        switch text {
        case "true": return true
        case "false": return false
        default: throw APIError.badRequest("true or false", field: name)
        }
    }

    /// The parameter as an ISO-8601 time (`2026-12-06T10:00:00Z`).
    func date(_ name: String) throws -> Date? {
        guard let text = try text(name, maximumLength: 40) else { return nil }
        guard let date = try? Date(text, strategy: .iso8601) else {
            throw APIError.badRequest("an ISO-8601 time such as 2026-12-06T10:00:00Z", field: name)
        }
        return date
    }

    /// The parameter as a UUID.
    func uuid(_ name: String) throws -> UUID? {
        guard let text = try text(name, maximumLength: 36) else { return nil }
        guard let id = UUID(uuidString: text) else { throw APIError.badRequest("a UUID", field: name) }
        return id
    }
}

extension Parameters {
    /// The path parameter `name` as a UUID, or 404.
    func uuid(_ name: String) throws -> UUID {
        guard let text = self.get(name), let id = UUID(uuidString: text) else {
            throw APIError.notFound("no such \(name): not a UUID")
        }
        return id
    }
}
