import Hummingbird

/// Refuses requests from pages of other origins: an `Origin` header must name one of the
/// configured public origins (`--http-public-origin`), or, when none is configured, the origin
/// the request was sent to (its `Host`). With public origins configured, the `Host` header must
/// also name one of them, so a DNS-rebinding page cannot reach the port under another name.
struct OriginCheck {
    let allowedOrigins: [String]

    func check(_ request: Request) throws {
        let host = request.head.authority?.lowercased()
        if !allowedOrigins.isEmpty {
            let hosts = allowedOrigins.compactMap(Self.hostPart)
            guard let host, hosts.contains(host) else {
                throw APIError.forbidden("Host \(host ?? "(none)") is not a public name of this collector")
            }
        }
        guard let origin = request.headers[.origin]?.lowercased() else { return }
        let allowed =
            allowedOrigins.isEmpty
            ? host.map { ["http://\($0)", "https://\($0)"] } ?? []
            : allowedOrigins.map { $0.lowercased() }
        guard allowed.contains(origin) else {
            throw APIError.forbidden("cross-origin request from \(origin) refused")
        }
    }

    /// `host[:port]` of an origin such as `https://noc.example.ge:8443`.
    static func hostPart(_ origin: String) -> String? {
        guard let range = origin.range(of: "://") else { return nil }
        let rest = origin[range.upperBound...]
        return rest.isEmpty ? nil : rest.lowercased()
    }
}
