import Foundation
import NIOSSL
import PostgresNIO

/// postgres-nio configurations of a ``DatabaseURL``, with TLS as its ``DatabaseSSLMode`` says.
extension DatabaseURL {
    /// Configuration for a single `PostgresConnection`.
    public func connectionConfiguration() throws -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS =
            switch sslMode {
            case .disable: .disable
            case .prefer: .prefer(try NIOSSLContext(configuration: tlsConfiguration))
            case .require, .verifyCA, .verifyFull: .require(try NIOSSLContext(configuration: tlsConfiguration))
            }
        return PostgresConnection.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: tls)
    }

    /// Configuration for a `PostgresClient` pool.
    public var clientConfiguration: PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS =
            switch sslMode {
            case .disable: .disable
            case .prefer: .prefer(tlsConfiguration)
            case .require, .verifyCA, .verifyFull: .require(tlsConfiguration)
            }
        return PostgresClient.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: tls)
    }

    /// The client TLS settings: the `sslrootcert` CAs (else the system's trust store) as trust
    /// anchors; the host name checked unless the mode is `verify-ca`. postgres-nio gives the
    /// URL's host to the TLS handshake (SNI, and the name checked); an IP address is checked
    /// against the certificate's IP subject alternative names (`docs/upstream/postgres-nio.md#tls-server-name`).
    private var tlsConfiguration: TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = sslMode == .verifyCA ? .noHostnameVerification : .fullVerification
        if !rootCertificates.isEmpty {
            configuration.trustRoots = .certificates(rootCertificates)
        }
        return configuration
    }

    /// The CA certificates of the PEM file `path` (at least one).
    static func loadRootCertificates(_ path: String) throws(ParseError) -> [NIOSSLCertificate] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ParseError(description: "database URL sslrootcert \(path): cannot read the file")
        }
        guard let certificates = try? NIOSSLCertificate.fromPEMBytes(Array(data)), !certificates.isEmpty else {
            throw ParseError(description: "database URL sslrootcert \(path): not a PEM file of CA certificates")
        }
        return certificates
    }
}
