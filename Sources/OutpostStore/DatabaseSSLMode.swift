/// The `sslmode` of a ``DatabaseURL``: whether the connection to PostgreSQL uses TLS and what
/// of the server's certificate is verified.
///
/// The names are libpq's, but Outpost never accepts a certificate it has not verified: where
/// libpq's `prefer` and `require` encrypt without checking the certificate, here they verify it
/// as `verify-full` does. The trust anchors are the CA certificates of `sslrootcert` when the
/// URL has it, else the system's trust store.
public enum DatabaseSSLMode: String, Sendable, CaseIterable, CustomStringConvertible {
    /// Plain TCP (the default; for a server on loopback).
    case disable
    /// TLS when the server offers it (the certificate is then verified as for `verify-full`),
    /// plain TCP when it does not.
    case prefer
    /// TLS or no connection; the certificate is verified as for `verify-full`.
    case require
    /// TLS; the server's certificate chain must end at a trusted CA. Its host names are not
    /// checked (a server reached by an address its certificate does not name).
    case verifyCA = "verify-ca"
    /// TLS; the server's certificate chain must end at a trusted CA and name the host of the
    /// URL (a DNS name, or an IP address among its IP subject alternative names).
    case verifyFull = "verify-full"

    /// The name as written in the URL.
    public var description: String { rawValue }

    /// Whether the connection may or must use TLS.
    var usesTLS: Bool { self != .disable }

    /// The accepted names, for error messages.
    static let accepted = allCases.map(\.rawValue).joined(separator: ", ")
}
