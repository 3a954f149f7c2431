import Foundation
import Hummingbird

/// A console page's query parameters, read as the management API reads them (``QueryOptions``)
/// but refused with a message that names the parameter, since an error page shows only the
/// message; and links back to a page with some parameters changed.
struct PageQuery {
    private let options: QueryOptions

    init(_ request: Request) {
        options = QueryOptions(request)
    }

    /// The parameter as text (empty counts as absent).
    func text(_ name: String, maximumLength: Int = 200) throws -> String? {
        try named(name) { try options.text(name, maximumLength: maximumLength) }
    }

    /// The parameter as an integer within `range`.
    func integer(_ name: String, in range: ClosedRange<Int>) throws -> Int? {
        try named(name) { try options.integer(name, in: range) }
    }

    /// The parameter's text if it is one of `allowed`.
    func choice(_ name: String, among allowed: [String]) throws -> String? {
        guard let value = try text(name, maximumLength: 100) else { return nil }
        guard allowed.contains(value) else {
            throw APIError.badRequest("\(name): one of \(allowed.joined(separator: ", "))", field: name)
        }
        return value
    }

    private func named<T>(_ name: String, _ read: () throws -> T) throws -> T {
        do {
            return try read()
        } catch let error as APIError {
            throw APIError.badRequest("\(name): \(error.message)", field: name)
        }
    }

    /// `path` with `parameters` (those with a value) as its query, percent-encoded.
    static func link(_ path: String, _ parameters: [(String, String?)]) -> String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+?#")
        let query = parameters.compactMap { name, value -> String? in
            guard let value, !value.isEmpty else { return nil }
            return name + "=" + (value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")
        }
        return query.isEmpty ? path : path + "?" + query.joined(separator: "&")
    }
}
