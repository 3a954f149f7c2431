import Foundation
import OutpostPKI
import X509

/// A throwaway CA with the shortcuts most PKI tests need: an agent key and its certificates, and
/// collector server identities, all issued under the CA.
public struct TestCA: Sendable {
    /// A server certificate issued by ``TestCA/issueServer(dnsNames:ipAddresses:)`` and its key.
    public struct ServerIdentity: Sendable {
        /// The certificate, issued by the test CA.
        public let certificate: Certificate
        /// The certificate's private key.
        public let key: P256Key
        /// The certificate and then the CA's, in PEM: what a server presents.
        public let chainPEM: String
    }

    /// The CA.
    public let ca: CertificateAuthority
    /// The key that ``issueAgent(branch:lifetime:now:)`` certifies.
    public let agentKey: P256Key

    /// Creates a CA named `commonName` and a fresh agent key.
    public init(commonName: String = "Outpost CA") throws {
        ca = try CertificateAuthority.create(commonName: commonName)
        agentKey = P256Key.generate()
    }

    /// Issues an agent certificate for ``agentKey`` in `branch`.
    public func issueAgent(
        branch: String = "Branch 042",
        lifetime: TimeInterval = 30 * 86_400,
        now: Date = Date()
    ) throws -> IssuedAgentCertificate {
        try ca.issueAgentCertificate(
            csr: try agentKey.makeCertificateSigningRequest(),
            branch: branch,
            lifetime: lifetime,
            now: now
        )
    }

    /// Issues a collector server certificate for a new key, valid for `dnsNames` and `ipAddresses`.
    public func issueServer(dnsNames: [String] = ["localhost"], ipAddresses: [String] = ["127.0.0.1"]) throws
        -> ServerIdentity
    {
        let key = P256Key.generate()
        let certificate = try ca.issueServerCertificate(
            publicKey: key.publicKey, dnsNames: dnsNames, ipAddresses: ipAddresses)
        let chainPEM = try certificate.serializeAsPEM().pemString + "\n" + (try ca.certificatePEM)
        return ServerIdentity(certificate: certificate, key: key, chainPEM: chainPEM)
    }
}
