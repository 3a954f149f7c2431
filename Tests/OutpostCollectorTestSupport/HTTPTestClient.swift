import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Real HTTP requests to a server on loopback (URLSession over libcurl on Linux), with the
/// credentials of one operator: an API token, or a session cookie and its CSRF token. Cookies
/// are never stored by the session: each client carries only what it was given.
struct HTTPTestClient: Sendable {
    /// One response.
    struct Reply {
        let status: Int
        let contentType: String?
        let headers: [String: String]
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

        /// A response header, by its lowercase name.
        func header(_ name: String) -> String? { headers[name.lowercased()] }
    }

    private static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpShouldSetCookies = false
        configuration.httpCookieAcceptPolicy = .never
        configuration.httpCookieStorage = nil
        return URLSession(configuration: configuration, delegate: RedirectsNotFollowed(), delegateQueue: nil)
    }()

    let base: String
    /// `Authorization: Bearer` sent with every request.
    var bearer: String?
    /// The session cookie's value, sent as `Cookie`.
    var sessionCookie: String?
    /// `X-CSRF-Token` sent with state-changing requests.
    var csrfToken: String?

    init(base: String, bearer: String? = nil) {
        self.base = base
        self.bearer = bearer
    }

    /// This client acting with API token `token`.
    func with(token: String) -> HTTPTestClient {
        HTTPTestClient(base: base, bearer: token)
    }

    /// GET `path` (with its query), answered within 30 s.
    func get(_ path: String, headers: [String: String] = [:]) async throws -> Reply {
        try await send("GET", path, headers: headers)
    }

    /// `method` on `path` with a JSON body (an encodable dictionary or array) or raw `body`.
    func send(
        _ method: String, _ path: String, json: Any? = nil, body: Data? = nil, contentType: String? = nil,
        headers: [String: String] = [:]
    ) async throws -> Reply {
        guard let url = URL(string: base + path) else { throw HTTPTestError("bad path \(path)") }
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.timeoutInterval = 30
        if let json {
            request.httpBody = try JSONSerialization.data(withJSONObject: json)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        } else if let body {
            request.httpBody = body
            request.setValue(contentType ?? "application/octet-stream", forHTTPHeaderField: "Content-Type")
        }
        if let bearer { request.setValue("Bearer \(bearer)", forHTTPHeaderField: "Authorization") }
        if let sessionCookie { request.setValue("outpost_session=\(sessionCookie)", forHTTPHeaderField: "Cookie") }
        if let csrfToken, method != "GET" { request.setValue(csrfToken, forHTTPHeaderField: "X-CSRF-Token") }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await Self.session.data(for: request)
        guard let http = response as? HTTPURLResponse else { throw HTTPTestError("not an HTTP response") }
        var replyHeaders: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String { replyHeaders[name.lowercased()] = value }
        }
        return Reply(
            status: http.statusCode, contentType: http.value(forHTTPHeaderField: "Content-Type"),
            headers: replyHeaders, body: data)
    }
}

struct HTTPTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Hands a redirect back to the test as the reply instead of following it (the console sends
/// an operator without a session to the login page: the test checks where).
private final class RedirectsNotFollowed: NSObject, URLSessionTaskDelegate, Sendable {
    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }
}
