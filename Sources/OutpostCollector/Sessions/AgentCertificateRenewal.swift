import Foundation
import Logging
import OutpostCore
import OutpostPKI
import OutpostStore
import OutpostWire
import PostgresNIO

/// Renews agent certificates over their mTLS sessions (the agent asks at 2/3 of its
/// certificate's life): the session has already authenticated the agent with its current
/// certificate; this checks the agent is still active, that the CSR certifies the registered
/// key, issues a certificate for the same identity and records it before answering.
public struct AgentCertificateRenewal: Sendable {
    private let authority: CertificateAuthority
    private let lifetime: TimeInterval
    private let logger: Logger

    /// A renewal issuing certificates valid for `lifetime` from `authority`.
    public init(authority: CertificateAuthority, lifetime: TimeInterval = PKIDefaults.agentCertificateLifetime, logger: Logger) {
        self.authority = authority
        self.lifetime = lifetime
        self.logger = logger
    }

    /// A renewal the collector refuses, with a reason safe to send to the agent.
    struct Refusal: Error, CustomStringConvertible {
        let description: String
    }

    /// Issues and records the renewed certificate of `agentID` for `request`.
    func renew(_ agentID: AgentID, request: RenewRequest, client: PostgresClient) async throws -> RenewResponse {
        let ledger = AgentRenewalLedger(logger: logger)
        guard let grant = try await client.withConnection({ try await ledger.grant(for: agentID, on: $0) }) else {
            throw Refusal(description: "agent \(agentID) is not active; renewal refused")
        }
        let issued: IssuedAgentCertificate
        do {
            issued = try authority.renewAgentCertificate(for: agentID, csr: request.csrDER, branch: grant.branchName, lifetime: lifetime)
        } catch {
            throw Refusal(description: "certificate request refused: \(error)")
        }
        guard issued.publicKeyDER == grant.publicKey else {
            throw Refusal(description: "the certificate request is for another key than the agent's registered key")
        }
        let serial = issued.serialNumber.hexString
        let recorded = try await client.withConnection {
            try await ledger.recordRenewal(of: agentID, publicKey: grant.publicKey, serial: serial, notAfter: issued.notValidAfter, on: $0)
        }
        guard recorded else {
            throw Refusal(description: "agent \(agentID) was revoked or changed during renewal; renewal refused")
        }
        logger.notice("agent certificate renewed", metadata: [
            "agent": "\(agentID)", "serial": "\(serial)", "not_after": "\(issued.notValidAfter)",
        ])
        return RenewResponse(certificateChainDER: [issued.derEncoded])
    }
}
