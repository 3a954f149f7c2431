import NIOSSL
import PostgresNIO

/// A connection to PostgreSQL could not be opened; the description names the server, the TLS
/// mode and the cause, and never the password.
public struct DatabaseConnectionError: Error, CustomStringConvertible {
    /// Why the connection failed.
    public enum Reason: Sendable, Equatable {
        /// The server's certificate chain does not end at a trusted CA.
        case untrustedCertificate
        /// The certificate is trusted but names another host.
        case hostNameMismatch
        /// Anything else (refused, timed out, authentication, …).
        case other
    }

    /// Why the connection failed.
    public let reason: Reason
    public let description: String

    /// Classifies `error`, thrown while connecting to `url`.
    init(url: DatabaseURL, error: any Error) {
        let cause = (error as? PSQLError)?.underlying ?? error
        let server = "PostgreSQL at \(url.host):\(url.port) (sslmode=\(url.sslMode))"
        let anchors =
            url.sslRootCertificatePath.map { "a CA of sslrootcert \($0)" }
            ?? "a CA of the system's trust store (name the server's CA with sslrootcert=FILE)"
        if let extra = cause as? NIOSSLExtraError, extra == .failedToValidateHostname {
            reason = .hostNameMismatch
            description =
                "\(server): the server's TLS certificate does not name \(url.host); connect by a name "
                + "the certificate holds, or use sslmode=verify-ca"
        } else if case NIOSSLError.handshakeFailed(let failure) = cause,
            "\(failure)".contains("CERTIFICATE_VERIFY_FAILED")
        {
            reason = .untrustedCertificate
            description = "\(server): the server's TLS certificate is not signed by \(anchors)"
        } else {
            reason = .other
            description = "cannot connect to \(server): \(String(reflecting: cause))"
        }
    }
}
