import Foundation

/// Limits and lifetimes of the Outpost PKI.
public enum PKIDefaults {
    /// Lifetime of the CA certificate: 10 years.
    public static let caLifetime: TimeInterval = 10 * 365 * 86_400

    /// Default lifetime of an agent certificate: 30 days (renewed at 2/3 of it).
    public static let agentCertificateLifetime: TimeInterval = 30 * 86_400

    /// Default lifetime of the collector's TLS server certificate: 397 days (the longest
    /// lifetime public TLS clients accept; ours is private, but it keeps operators rotating).
    public static let serverCertificateLifetime: TimeInterval = 397 * 86_400

    /// Issued certificates start this long before the issuing moment so that a branch box
    /// whose clock is slightly behind the collector's accepts them at once.
    public static let clockSkewAllowance: TimeInterval = 5 * 60

    /// Default validity of a certificate revocation list: 7 days (publish a new one well before).
    public static let revocationListValidity: TimeInterval = 7 * 86_400

    /// Largest certificate signing request accepted, checked before any parsing.
    public static let maximumCSRSize = 16 * 1024

    /// Largest PEM file (key or certificate) read from disk.
    public static let maximumPEMFileSize = 64 * 1024
}
