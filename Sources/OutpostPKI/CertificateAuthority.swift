import Foundation
import SwiftASN1
import X509

/// Outpost's private certificate authority: a P-256 key and a self-signed CA certificate that
/// issues the agents' client certificates and the collector's server certificate.
///
/// On disk it is a directory holding `ca.key` (PKCS#8 PEM, mode 0600) and `ca.crt` (PEM).
public struct CertificateAuthority: Sendable {
    /// File name of the CA private key inside the CA directory.
    public static let keyFileName = "ca.key"
    /// File name of the CA certificate inside the CA directory.
    public static let certificateFileName = "ca.crt"

    /// The self-signed CA certificate (the trust root handed to agents and collectors).
    public let certificate: Certificate
    /// SHA-256 of the DER certificate: what enrolment tokens pin.
    public let fingerprint: CertificateFingerprint
    let privateKey: P256Key
    let subjectKeyIdentifier: ArraySlice<UInt8>

    /// Pairs an existing CA certificate with its key, checking that they belong together and
    /// that the certificate is a CA certificate.
    public init(certificate: Certificate, privateKey: P256Key) throws {
        guard privateKey.publicKey == certificate.publicKey else {
            throw CertificateAuthorityError.keyDoesNotMatchCertificate
        }
        guard case .isCertificateAuthority = try certificate.extensions.basicConstraints else {
            throw CertificateAuthorityError.notACertificateAuthority
        }
        self.certificate = certificate
        self.privateKey = privateKey
        self.fingerprint = try CertificateFingerprint(of: certificate)
        self.subjectKeyIdentifier =
            try certificate.extensions.subjectKeyIdentifier?.keyIdentifier
            ?? SubjectKeyIdentifier(hash: certificate.publicKey).keyIdentifier
    }

    /// Creates a new CA: a fresh P-256 key and a self-signed certificate with
    /// BasicConstraints CA:true pathlen:0 (critical), KeyUsage keyCertSign + cRLSign (critical)
    /// and a SubjectKeyIdentifier. Nothing is written; see ``save(to:force:)``.
    public static func create(
        commonName: String = "Outpost CA",
        lifetime: TimeInterval = PKIDefaults.caLifetime,
        now: Date = Date()
    ) throws -> CertificateAuthority {
        let key = P256Key.generate()
        let publicKey = key.publicKey
        let name = try DistinguishedName {
            OrganizationName("Outpost")
            CommonName(commonName)
        }
        let extensions = try Certificate.Extensions {
            Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
            Critical(KeyUsage(keyCertSign: true, cRLSign: true))
            SubjectKeyIdentifier(hash: publicKey)
        }
        let certificate = try Certificate(
            version: .v3,
            serialNumber: .randomPositive(),
            publicKey: publicKey,
            notValidBefore: now - PKIDefaults.clockSkewAllowance,
            notValidAfter: now + lifetime,
            issuer: name,
            subject: name,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: extensions,
            issuerPrivateKey: key.certificateKey
        )
        return try CertificateAuthority(certificate: certificate, privateKey: key)
    }

    /// Loads `ca.key` and `ca.crt` from `directory`.
    public static func load(from directory: String) throws -> CertificateAuthority {
        let keyPath = "\(directory)/\(keyFileName)"
        let certificatePath = "\(directory)/\(certificateFileName)"
        let key = try P256Key.load(from: keyPath)
        let certificate = try CertificateFile.load(from: certificatePath)
        do {
            return try CertificateAuthority(certificate: certificate, privateKey: key)
        } catch let error as CertificateAuthorityError {
            throw PKIFileError(path: certificatePath, kind: .invalidContent(error.description))
        }
    }

    /// Writes `ca.key` (mode 0600) and `ca.crt` (mode 0644) into `directory` (created 0700 if
    /// missing; its parent must exist), each atomically and durably. Unless `force` is set, refuses with
    /// ``PKIFileError/Kind/alreadyExists`` when either file exists, and writes nothing.
    public func save(to directory: String, force: Bool = false) throws {
        try SecureFile.makeDirectory(directory, mode: 0o700)
        let keyPath = "\(directory)/\(Self.keyFileName)"
        let certificatePath = "\(directory)/\(Self.certificateFileName)"
        if !force {
            for path in [keyPath, certificatePath] where SecureFile.exists(path) {
                throw PKIFileError(path: path, kind: .alreadyExists)
            }
        }
        try privateKey.save(to: keyPath, replace: force)
        try CertificateFile.save(certificate, to: certificatePath, replace: force)
    }

    /// The CA certificate as PEM, for agents' and collectors' trust stores.
    public var certificatePEM: String {
        get throws { try CertificateFile.pem(certificate) }
    }

    /// A human-readable summary for `outpost-collector ca show`: subject, validity (UTC) and
    /// fingerprint. Never includes key material.
    public func describe() -> String {
        """
        Subject:     \(certificate.subject)
        Not before:  \(certificate.notValidBefore.formatted(.iso8601))
        Not after:   \(certificate.notValidAfter.formatted(.iso8601))
        Key:         ECDSA P-256
        SHA-256:     \(fingerprint.hex)
        Short:       \(fingerprint.short)
        """
    }
}

/// A key and certificate cannot form a CA.
public enum CertificateAuthorityError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The private key is not the one the certificate certifies.
    case keyDoesNotMatchCertificate
    /// The certificate lacks BasicConstraints CA:true.
    case notACertificateAuthority

    public var description: String {
        switch self {
        case .keyDoesNotMatchCertificate: "the private key does not match the CA certificate"
        case .notACertificateAuthority: "the certificate is not a CA certificate (BasicConstraints CA:true)"
        }
    }
}
