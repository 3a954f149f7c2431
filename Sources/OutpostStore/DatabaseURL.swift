import Foundation
import NIOSSL
import PostgresNIO

/// A PostgreSQL location given as `postgres://user[:password]@host[:port]/database[?sslmode=…]`.
///
/// The password is kept out of `description` so the URL can be logged.
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
    /// `disable` (default for loopback), `prefer` or `require`.
    public let sslMode: String

    /// Parses a `postgres://` or `postgresql://` URL.
    public init(_ text: String) throws {
        guard let components = URLComponents(string: text),
              let scheme = components.scheme, ["postgres", "postgresql"].contains(scheme) else {
            throw ParseError(description: "database URL must start with postgres:// (got \(DatabaseURL.redacted(text)))")
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
        let sslMode = components.queryItems?.first(where: { $0.name == "sslmode" })?.value ?? "disable"
        guard ["disable", "prefer", "require"].contains(sslMode) else {
            throw ParseError(description: "database URL sslmode must be disable, prefer or require (got \(sslMode))")
        }
        self.host = host
        self.port = port
        self.username = user
        self.password = components.password
        self.database = database
        self.sslMode = sslMode
    }

    /// The URL with the password masked.
    public var description: String {
        "postgres://\(username)\(password == nil ? "" : ":***")@\(host):\(port)/\(database)?sslmode=\(sslMode)"
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
        components.queryItems = [URLQueryItem(name: "sslmode", value: sslMode)]
        return try DatabaseURL(components.string ?? "")
    }

    /// Configuration for a single `PostgresConnection`.
    public func connectionConfiguration() throws -> PostgresConnection.Configuration {
        PostgresConnection.Configuration(
            host: host, port: port, username: username, password: password, database: database,
            tls: try connectionTLS())
    }

    /// Configuration for a `PostgresClient` pool.
    public var clientConfiguration: PostgresClient.Configuration {
        PostgresClient.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: clientTLS)
    }

    private func connectionTLS() throws -> PostgresConnection.Configuration.TLS {
        switch sslMode {
        case "require": .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        case "prefer": .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
        default: .disable
        }
    }

    private var clientTLS: PostgresClient.Configuration.TLS {
        switch sslMode {
        case "require": .require(.makeClientConfiguration())
        case "prefer": .prefer(.makeClientConfiguration())
        default: .disable
        }
    }

    private static func redacted(_ text: String) -> String {
        guard let at = text.lastIndex(of: "@") else { return text }
        return "…" + text[at...]
    }
}
