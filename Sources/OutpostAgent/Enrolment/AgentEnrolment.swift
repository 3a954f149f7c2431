import Foundation
import NIOCore
import NIOPosix
import OutpostCore
import OutpostPKI
import X509

/// `outpost-agent enrol`: turns a fresh box into an enrolled agent with a one-time token.
///
/// Generates the agent key in the state directory (mode 0600; it never leaves the box), sends a
/// CSR with the token's secret to the collector, which it trusts only if the collector presents
/// the CA whose fingerprint the token carries, and stores the issued certificate and that CA.
public struct AgentEnrolment: Sendable {
    /// What enrolment produced.
    public struct Result: Sendable {
        /// The agent's identity.
        public let agentID: AgentID
        /// The branch the collector enrolled it in.
        public let branch: String?
        /// The certificate's serial number (lower-case hex).
        public let serialNumber: String
        /// The certificate's expiry.
        public let notValidAfter: Date
        /// The pinned CA's fingerprint.
        public let caFingerprint: CertificateFingerprint
    }

    /// The token (secret; never logged).
    public let token: EnrolmentToken
    /// Where to connect; the token's address when `nil`.
    public let collector: CollectorAddress?
    /// Where the key and certificates go.
    public let stateDirectory: AgentStateDirectory

    /// Prepares an enrolment.
    public init(token: EnrolmentToken, collector: CollectorAddress? = nil, stateDirectory: AgentStateDirectory) {
        self.token = token
        self.collector = collector
        self.stateDirectory = stateDirectory
    }

    /// The address enrolment connects to.
    public var collectorAddress: CollectorAddress {
        collector ?? CollectorAddress(host: token.collectorHost, port: Int(token.collectorPort))
    }

    /// Enrols. An existing key without a certificate (an earlier attempt that failed) is reused;
    /// an enrolled state directory is refused unless `replacingIdentity` is set.
    ///
    /// - Throws: ``AgentEnrolmentError``, ``EnrolmentRejection``, file or connection errors.
    public func run(
        replacingIdentity: Bool = false,
        timeout: Duration = .seconds(30),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> Result {
        let key: P256Key
        if replacingIdentity {
            key = try stateDirectory.createKey(replacing: true)
        } else if stateDirectory.isEnrolled {
            throw AgentEnrolmentError.alreadyEnrolled(stateDirectory.path)
        } else if FileManager.default.fileExists(atPath: stateDirectory.keyPath) {
            key = try stateDirectory.loadKey()
        } else {
            key = try stateDirectory.createKey()
        }
        let response = try await EnrolmentExchange.perform(
            secret: token.secret,
            csr: try key.makeCertificateSigningRequest(),
            to: collectorAddress,
            pinnedCA: token.caFingerprint,
            timeout: timeout,
            group: group)
        let certificate: Certificate
        do {
            certificate = try Certificate(derEncoded: response.certificateDER)
        } catch {
            throw AgentEnrolmentError.invalidResponse("the certificate cannot be parsed")
        }
        try stateDirectory.storeEnrolment(certificate: certificate, caCertificate: response.caCertificate)
        let credentials = try stateDirectory.loadCredentials()
        return Result(
            agentID: credentials.agentID,
            branch: AgentIdentity.branch(of: certificate),
            serialNumber: certificate.serialNumber.hexString,
            notValidAfter: certificate.notValidAfter,
            caFingerprint: token.caFingerprint)
    }
}
