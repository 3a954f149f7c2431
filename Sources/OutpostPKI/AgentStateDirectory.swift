import X509

/// The agent's PKI files in its state directory: `agent.key` (mode 0600), `agent.crt` and
/// `ca.crt`. Every write goes through a temporary file, fsync and rename, then a directory
/// fsync, so a crash leaves either the old or the new file, never a torn one.
///
/// Enrolment: ``createKey()``, ``P256Key/makeCertificateSigningRequest(commonName:)``, send it
/// with the token, then ``storeEnrolment(certificate:caCertificate:)``. Renewal keeps the key:
/// a new CSR from ``loadCredentials()``'s key, then ``storeRenewedCertificate(_:)``.
public struct AgentStateDirectory: Sendable {
    /// The directory.
    public let path: String

    /// The state directory at `path` (created 0700 by ``createKey(replacing:)``; its parent
    /// must exist).
    public init(path: String) {
        self.path = path
    }

    /// `agent.key`: the agent's private key.
    public var keyPath: String { "\(path)/agent.key" }
    /// `agent.crt`: the agent's client certificate.
    public var certificatePath: String { "\(path)/agent.crt" }
    /// `ca.crt`: the Outpost CA certificate pinned at enrolment.
    public var caCertificatePath: String { "\(path)/ca.crt" }

    /// Whether the key, the certificate and the CA certificate are all present.
    public var isEnrolled: Bool {
        [keyPath, certificatePath, caCertificatePath].allSatisfy(SecureFile.exists)
    }

    /// Generates the agent key and writes it (0600). Refuses to replace an existing key unless
    /// `replacing` is set (re-enrolment of a box whose identity is abandoned).
    public func createKey(replacing: Bool = false) throws -> P256Key {
        try SecureFile.makeDirectory(path, mode: 0o700)
        let key = P256Key.generate()
        try key.save(to: keyPath, replace: replacing)
        return key
    }

    /// Loads the agent key.
    public func loadKey() throws -> P256Key {
        try P256Key.load(from: keyPath)
    }

    /// Stores the result of enrolment: the CA certificate whose fingerprint matched the token
    /// (see ``CAPinning``) and the issued certificate, after checking they fit the stored key.
    public func storeEnrolment(certificate: Certificate, caCertificate: Certificate) throws {
        _ = try AgentCredentials(privateKey: try loadKey(), certificate: certificate, caCertificate: caCertificate)
        try CertificateFile.save(caCertificate, to: caCertificatePath, replace: true)
        try CertificateFile.save(certificate, to: certificatePath, replace: true)
    }

    /// Replaces the certificate with a renewed one after checking that it certifies the stored
    /// key, comes from the stored CA and names the same agent; returns the new credentials.
    @discardableResult
    public func storeRenewedCertificate(_ certificate: Certificate) throws -> AgentCredentials {
        let current = try loadCredentials()
        let renewed = try AgentCredentials(
            privateKey: current.privateKey,
            certificate: certificate,
            caCertificate: current.caCertificate
        )
        guard renewed.agentID == current.agentID else {
            throw AgentCredentialsError.agentIdentityChanged(from: current.agentID, to: renewed.agentID)
        }
        try CertificateFile.save(certificate, to: certificatePath, replace: true)
        return renewed
    }

    /// Loads and cross-checks the key, certificate and CA certificate.
    public func loadCredentials() throws -> AgentCredentials {
        try AgentCredentials(
            privateKey: try loadKey(),
            certificate: try CertificateFile.load(from: certificatePath),
            caCertificate: try CertificateFile.load(from: caCertificatePath)
        )
    }
}
