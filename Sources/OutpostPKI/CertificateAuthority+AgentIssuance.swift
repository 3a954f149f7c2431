import Foundation
import OutpostCore
import X509

extension CertificateAuthority {
    /// Enrols a new agent: verifies the CSR (size bound, parse, self-signature as proof of
    /// possession, P-256 key) and issues a client certificate for a new ``OutpostCore/AgentID``.
    ///
    /// The certificate carries the SAN URI `outpost://agent/<uuid>`, the subject
    /// `O=Outpost, OU=<branch>, CN=<uuid>`, KeyUsage digitalSignature, ExtendedKeyUsage
    /// clientAuth, SKI/AKI and a random positive 20-byte serial. It is valid from
    /// `now - PKIDefaults.clockSkewAllowance` to `now + lifetime`.
    ///
    /// - Parameters:
    ///   - csr: The agent's CSR, DER or PEM, as received (at most ``PKIDefaults/maximumCSRSize``).
    ///   - branch: The branch the enrolment token was bound to.
    ///   - lifetime: Validity from `now`; default 30 days.
    ///   - now: The issuing time.
    public func issueAgentCertificate(
        csr: [UInt8],
        branch: String,
        lifetime: TimeInterval = PKIDefaults.agentCertificateLifetime,
        now: Date = Date()
    ) throws -> IssuedAgentCertificate {
        try issueClientCertificate(agentID: .random(), csr: csr, branch: branch, lifetime: lifetime, now: now)
    }

    /// Renews an existing agent: same checks as ``issueAgentCertificate(csr:branch:lifetime:now:)``
    /// but the certificate names `agentID`. The caller must have authenticated the requester as
    /// that agent (its current mTLS certificate) and checked it is not revoked.
    public func renewAgentCertificate(
        for agentID: AgentID,
        csr: [UInt8],
        branch: String,
        lifetime: TimeInterval = PKIDefaults.agentCertificateLifetime,
        now: Date = Date()
    ) throws -> IssuedAgentCertificate {
        try issueClientCertificate(agentID: agentID, csr: csr, branch: branch, lifetime: lifetime, now: now)
    }

    private func issueClientCertificate(
        agentID: AgentID,
        csr: [UInt8],
        branch: String,
        lifetime: TimeInterval,
        now: Date
    ) throws -> IssuedAgentCertificate {
        guard lifetime > 0 else { throw IssuanceError.invalidLifetime }
        guard Self.isValidBranchName(branch) else { throw IssuanceError.invalidBranchName }
        let publicKey = try CertificateRequestValidation.validatedPublicKey(csr)
        let subject = try DistinguishedName {
            OrganizationName("Outpost")
            OrganizationalUnitName(branch)
            CommonName(agentID.description)
        }
        let extensions = try Certificate.Extensions {
            Critical(BasicConstraints.notCertificateAuthority)
            Critical(KeyUsage(digitalSignature: true))
            try ExtendedKeyUsage([.clientAuth])
            SubjectKeyIdentifier(hash: publicKey)
            AuthorityKeyIdentifier(keyIdentifier: subjectKeyIdentifier)
            SubjectAlternativeNames([.uniformResourceIdentifier(AgentIdentity.uri(for: agentID))])
        }
        let certificate = try sign(
            publicKey: publicKey, subject: subject, extensions: extensions, lifetime: lifetime, now: now)
        return try IssuedAgentCertificate(agentID: agentID, branch: branch, certificate: certificate)
    }

    /// Signs a leaf certificate with this CA.
    func sign(
        publicKey: Certificate.PublicKey,
        subject: DistinguishedName,
        extensions: Certificate.Extensions,
        lifetime: TimeInterval,
        now: Date
    ) throws -> Certificate {
        try Certificate(
            version: .v3,
            serialNumber: .randomPositive(),
            publicKey: publicKey,
            notValidBefore: now - PKIDefaults.clockSkewAllowance,
            notValidAfter: now + lifetime,
            issuer: certificate.subject,
            subject: subject,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: extensions,
            issuerPrivateKey: privateKey.certificateKey
        )
    }

    /// 1 to 64 characters (X.520 upper bound for OU), no control characters.
    private static func isValidBranchName(_ branch: String) -> Bool {
        (1...64).contains(branch.count)
            && !branch.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }
}
