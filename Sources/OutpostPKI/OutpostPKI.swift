// OutpostPKI — the Outpost certificate authority, agent enrolment and certificate checks.
//
// Key choice: every key in Outpost's PKI is ECDSA on NIST P-256 (secp256r1) with SHA-256:
// the CA, the agents' client identities and the collector's TLS server identity. P-256 is the
// one curve every TLS stack (BoringSSL/NIOSSL, OpenSSL, Go, Java, Windows SChannel), every
// load balancer that may terminate or pass through TLS in front of several collectors, every
// HSM/TPM (PKCS#11, cloud KMS) and the `openssl` command line support without options, and
// it gives 128-bit security with 64-byte signatures. An agent signs its batches with the same
// P-256 key its certificate certifies, so one key on the box proves both the TLS session and
// the batch; the collector checks batch signatures against the certificate's public key.
//
// On-disk layout and operations are described in certs/README.md.
//
// Files of this module, by responsibility:
// - P256Key*.swift, CertificateFile.swift, SecureFile.swift: keys, CSRs, PEM files, atomic writes.
// - CertificateAuthority*.swift: the CA (create, load, save, describe) and issuance.
// - CertificateRequestValidation.swift: bounded CSR parsing and proof of possession.
// - AgentIdentity.swift: the `outpost://agent/<uuid>` identity inside agent certificates.
// - AgentStateDirectory.swift, AgentCredentials.swift: the agent's key and certificate files.
// - EnrolmentToken.swift, CAPinning.swift: one-time enrolment and trust on first contact.
// - AgentCertificateVerifier.swift, RevocationDenyList.swift, ExtendedKeyUsagePolicy.swift:
//   mTLS client chain checks with revocation.
// - CertificateRevocationList.swift, RevocationListEncoding.swift: X.509 CRLs for third-party peers.
// - RenewalSchedule.swift: when an agent renews.
// - CertificateFingerprint.swift, SerialNumberHex.swift: how certificates are named in text.

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
