import Foundation
import NIOSSL

/// A PostgreSQL location given as
/// `postgres://user[:password]@host[:port]/database[?sslmode=MODE[&sslrootcert=FILE]]`.
///
/// `sslmode` is one of ``DatabaseSSLMode`` (default `disable`); `sslrootcert` is a PEM file of
/// the CA certificates that verify the server's certificate (a private CA), read when the URL
/// is parsed. The password is kept out of `description` so the URL can be logged.
public struct DatabaseURL: Sendable, CustomStringConvertible {
    /// Why a URL was refused.
    public struct ParseError: Error, CustomStringConvertible {
        /// What is wrong, naming the part of the URL.
        public let description: String
    }

    public let host: String
    public let port: Int
    public let username: String
    public let password: String?
    public let database: String
    /// Whether and how TLS is used.
    public let sslMode: DatabaseSSLMode
    /// The `sslrootcert` file, when the URL names one.
    public let sslRootCertificatePath: String?
    /// The CA certificates read from `sslrootcert`; empty without it (the system's trust store).
    let rootCertificates: [NIOSSLCertificate]

    /// Parses a `postgres://` or `postgresql://` URL, reading its `sslrootcert` file.
    public init(_ text: String) throws {
        guard let components = URLComponents(string: text),
            let scheme = components.scheme, ["postgres", "postgresql"].contains(scheme)
        else {
            throw ParseError(
                description: "database URL must start with postgres:// (got \(DatabaseURL.redacted(text)))")
        }
        guard let host = components.host, !host.isEmpty else {
            throw ParseError(description: "database URL has no host")
        }
        guard let user = components.user, !user.isEmpty else {
            throw ParseError(description: "database URL has no user name")
        }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty else {
            throw ParseError(description: "database URL has no database name")
        }
        let port = components.port ?? 5432
        guard (1...65535).contains(port) else {
            throw ParseError(description: "database URL port \(port) is out of range")
        }
        let query = components.queryItems ?? []
        let modeName = query.first(where: { $0.name == "sslmode" })?.value ?? DatabaseSSLMode.disable.rawValue
        guard let sslMode = DatabaseSSLMode(rawValue: modeName) else {
            throw ParseError(
                description: "database URL sslmode must be one of \(DatabaseSSLMode.accepted) (got \(modeName))")
        }
        let rootPath = query.first(where: { $0.name == "sslrootcert" })?.value
        if let rootPath {
            guard sslMode.usesTLS else {
                throw ParseError(
                    description: "database URL sslrootcert needs TLS: add sslmode=verify-full (got sslmode=\(sslMode))")
            }
            rootCertificates = try Self.loadRootCertificates(rootPath)
        } else {
            rootCertificates = []
        }
        self.host = host
        self.port = port
        self.username = user
        self.password = components.password
        self.database = database
        self.sslMode = sslMode
        self.sslRootCertificatePath = rootPath
    }

    /// The URL with the password masked.
    public var description: String {
        "postgres://\(username)\(password == nil ? "" : ":***")@\(host):\(port)/\(database)?sslmode=\(sslMode)"
            + (sslRootCertificatePath.map { "&sslrootcert=\($0)" } ?? "")
    }

    /// The same server and credentials, another database (tests create one per suite).
    public func with(database: String) throws -> DatabaseURL {
        var components = URLComponents()
        components.scheme = "postgres"
        components.host = host
        components.port = port
        components.user = username
        components.password = password
        components.path = "/" + database
        components.queryItems =
            [URLQueryItem(name: "sslmode", value: sslMode.rawValue)]
            + (sslRootCertificatePath.map { [URLQueryItem(name: "sslrootcert", value: $0)] } ?? [])
        return try DatabaseURL(components.string ?? "")
    }

    private static func redacted(_ text: String) -> String {
        guard let at = text.lastIndex(of: "@") else { return text }
        return "…" + text[at...]
    }
}
