import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Real HTTP requests to a server on loopback (URLSession over libcurl on Linux).
struct HTTPTestClient: Sendable {
    /// One response.
    struct Reply {
        let status: Int
        let contentType: String?
        let body: Data

        var text: String { String(decoding: body, as: UTF8.self) }

        /// The body as a JSON object.
        func json() throws -> [String: Any] {
            guard let object = try JSONSerialization.jsonObject(with: body) as? [String: Any] else {
                throw HTTPTestError("not a JSON object: \(text)")
            }
            return object
        }

        /// The array under `key` of the JSON object body.
        func list(_ key: String) throws -> [[String: Any]] {
            guard let items = try json()[key] as? [[String: Any]] else {
                throw HTTPTestError("no list \(key) in \(text)")
            }
            return items
        }
    }

    let base: String

    /// GET `path` (with its query), answered within 30 s.
    func get(_ path: String) async throws -> Reply {
        guard let url = URL(string: base + path) else { throw HTTPTestError("bad path \(path)") }
        var request = URLRequest(url: url)
        request.timeoutInterval = 30
        let (data, response) = try await URLSession.shared.data(for: request)
        guard let http = response as? HTTPURLResponse else { throw HTTPTestError("not an HTTP response") }
        return Reply(status: http.statusCode, contentType: http.value(forHTTPHeaderField: "Content-Type"), body: data)
    }
}

struct HTTPTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
