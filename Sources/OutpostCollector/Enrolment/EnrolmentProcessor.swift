import Foundation
import Logging
import Metrics
import OutpostPKI
import OutpostStore
import PostgresNIO
import Synchronization

/// Decides one enrolment request: rate limit, token, CSR, certificate, database record.
/// Knows nothing of sockets. Logs every outcome with the peer address, never the token.
struct EnrolmentProcessor: Sendable {
    let authority: CertificateAuthority
    let client: PostgresClient
    let certificateLifetime: TimeInterval
    let limiter: FailedAttemptLimiter
    let logger: Logger

    /// Whether `address` may still be served (it has not exhausted its failed attempts).
    func admits(_ address: String) -> Bool {
        limiter.allows(address)
    }

    /// Records a refusal of a request from `address`: log, metric and, unless the address was
    /// already over its limit, one failed attempt.
    func refused(_ failure: EnrolmentFailure, from address: String) {
        if failure != .rateLimited { limiter.recordFailure(address) }
        Counter(label: "outpost_enrolment_requests_total", dimensions: [("result", failure.label)]).increment()
        logger.warning(
            "enrolment refused",
            metadata: ["peer": "\(address)", "reason": "\(failure.label)", "detail": "\(failure.message)"])
    }

    /// Consumes the request's token, issues the certificate and records the agent.
    func enrol(_ request: EnrolmentRequest, from address: String) async -> Result<
        IssuedAgentCertificate, EnrolmentFailure
    > {
        let hash: [UInt8]
        do {
            hash = try EnrolmentToken.secretHash(ofPresentedSecret: request.secret)
        } catch {
            return .failure(.tokenUnknown)
        }
        let ledger = EnrolmentLedger(logger: logger)
        // Set inside the database call, which runs in a task of its own under its deadline.
        let issuance = Mutex<IssuedAgentCertificate?>(nil)
        let outcome: EnrolmentLedger.Outcome
        do {
            outcome = try await client.withConnection(timeout: PostgresClient.callTimeout) { connection in
                try await ledger.enrol(secretHash: hash, on: connection) { grant in
                    let issued = try authority.issueAgentCertificate(
                        csr: request.csr, branch: grant.branchName, lifetime: certificateLifetime)
                    issuance.withLock { $0 = issued }
                    return NewAgentRecord(
                        agentID: issued.agentID,
                        publicKeyDER: issued.publicKeyDER,
                        certificateSerial: issued.serialNumber.hexString,
                        certificateNotAfter: issued.notValidAfter)
                }
            }
        } catch let error as IssuanceError {
            return .failure(Self.failure(for: error, logger: logger))
        } catch {
            logger.error("enrolment failed on the database", metadata: ["peer": "\(address)", "error": "\(error)"])
            return .failure(.internalError)
        }
        switch outcome {
        case .refused(let refusal):
            return .failure(EnrolmentFailure(refusal))
        case .enrolled(let grant, let agent):
            guard let issued = issuance.withLock({ $0 }) else { return .failure(.internalError) }
            Counter(label: "outpost_enrolment_requests_total", dimensions: [("result", "enrolled")]).increment()
            logger.notice(
                "agent enrolled",
                metadata: [
                    "peer": "\(address)", "agent": "\(agent.agentID)", "branch": "\(grant.branchName)",
                    "token_id": "\(grant.tokenID.uuidString.lowercased())", "serial": "\(agent.certificateSerial)",
                    "not_after": "\(agent.certificateNotAfter.formatted(.iso8601))",
                ])
            return .success(issued)
        }
    }

    private static func failure(for error: IssuanceError, logger: Logger) -> EnrolmentFailure {
        switch error {
        case .csrTooLarge(let size, let limit): return .csrTooLarge(size, limit: limit)
        case .csrMalformed, .csrSignatureInvalid, .unsupportedKeyType: return .csrInvalid(error.description)
        default:
            logger.error("certificate issuance failed", metadata: ["error": "\(error)"])
            return .internalError
        }
    }
}
