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
/// key and that it has not renewed too often, issues a certificate for the same identity and
/// records it before answering.
public struct AgentCertificateRenewal: Sendable {
    private let authority: CertificateAuthority
    private let lifetime: TimeInterval
    private let maximumPerHour: Int
    private let logger: Logger

    /// Renewals allowed per agent within an hour by default: an agent renews at 2/3 of a
    /// certificate's life, so more than a few in an hour is a stolen key or a broken agent
    /// minting certificates, each one more serial that stays valid until it expires.
    public static let defaultMaximumPerHour = 3

    /// A renewal issuing certificates valid for `lifetime` from `authority`, at most
    /// `maximumPerHour` per agent within any hour.
    public init(
        authority: CertificateAuthority, lifetime: TimeInterval = PKIDefaults.agentCertificateLifetime,
        maximumPerHour: Int = defaultMaximumPerHour, logger: Logger
    ) {
        self.authority = authority
        self.lifetime = lifetime
        self.maximumPerHour = maximumPerHour
        self.logger = logger
    }

    /// A renewal the collector refuses, with a reason safe to send to the agent.
    struct Refusal: Error, CustomStringConvertible {
        let description: String
    }

    /// Issues and records the renewed certificate of `agentID` for `request`.
    func renew(_ agentID: AgentID, request: RenewRequest, client: PostgresClient) async throws -> RenewResponse {
        let ledger = AgentRenewalLedger(logger: logger)
        guard
            let grant = try await client.withConnection(
                timeout: PostgresClient.callTimeout, { try await ledger.grant(for: agentID, on: $0) })
        else {
            throw Refusal(description: "agent \(agentID) is not active; renewal refused")
        }
        guard grant.renewalsInLastHour < maximumPerHour else { throw rateLimited(agentID) }
        let issued: IssuedAgentCertificate
        do {
            issued = try authority.renewAgentCertificate(
                for: agentID, csr: request.csrDER, branch: grant.branchName, lifetime: lifetime)
        } catch {
            throw Refusal(description: "certificate request refused: \(error)")
        }
        guard issued.publicKeyDER == grant.publicKey else {
            throw Refusal(description: "the certificate request is for another key than the agent's registered key")
        }
        let serial = issued.serialNumber.hexString
        let maximumPerHour = self.maximumPerHour
        switch try await client.withConnection(
            timeout: PostgresClient.callTimeout,
            {
                try await ledger.recordRenewal(
                    of: agentID, publicKey: grant.publicKey, serial: serial, notAfter: issued.notValidAfter,
                    maximumPerHour: maximumPerHour, on: $0)
            })
        {
        case .recorded:
            break
        case .inactive:
            throw Refusal(description: "agent \(agentID) was revoked or changed during renewal; renewal refused")
        case .rateLimited:
            throw rateLimited(agentID)
        }
        logger.notice(
            "agent certificate renewed",
            metadata: [
                "agent": "\(agentID)", "serial": "\(serial)", "not_after": "\(issued.notValidAfter)",
            ])
        return RenewResponse(certificateChainDER: [issued.derEncoded])
    }

    private func rateLimited(_ agentID: AgentID) -> Refusal {
        Refusal(
            description:
                "agent \(agentID) renewed \(maximumPerHour) times within the last hour; renewal refused, try again later"
        )
    }
}
