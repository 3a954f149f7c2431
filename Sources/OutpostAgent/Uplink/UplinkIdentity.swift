import Foundation
import OutpostPKI
import OutpostWire
import Synchronization
import X509

/// The agent's mTLS identity: its credentials and the TLS context built from them.
///
/// The certificate is renewed in place over the collector session (step-ca's schedule: at 2/3
/// of its life, moved earlier by a random jitter, see ``OutpostPKI/RenewalSchedule``): the
/// renewed certificate is checked against the stored key, CA and identity, written atomically
/// to the state directory, and used by every later connection. The key never changes, so the
/// collector keeps verifying batch signatures against the registered key.
public final class UplinkIdentity: Sendable {
    /// How long an unanswered renewal request waits before it is sent again.
    static let answerTimeout: TimeInterval = 60
    /// Retry delays after refused renewals: doubling from the first to the last.
    static let retryDelays: ClosedRange<TimeInterval> = 60...3_600

    private struct State {
        var credentials: AgentCredentials
        var tls: UplinkTLS
        var nextRenewalAttempt: Date
        var refusedAttempts = 0
    }

    private let directory: AgentStateDirectory
    private let state: Mutex<State>

    /// The identity enrolled in `directory`, where renewed certificates are written.
    public init(stateDirectory: AgentStateDirectory) throws {
        let credentials = try stateDirectory.loadCredentials()
        self.directory = stateDirectory
        self.state = Mutex(
            State(
                credentials: credentials, tls: try UplinkTLS(credentials: credentials),
                nextRenewalAttempt: RenewalSchedule.renewalDate(for: credentials.certificate)))
    }

    /// The current credentials.
    public var credentials: AgentCredentials { state.withLock { $0.credentials } }

    /// The TLS context of the current credentials, for the next connection.
    var tls: UplinkTLS { state.withLock { $0.tls } }

    /// When the next renewal request is due (in the past: now).
    var nextRenewalAttempt: Date { state.withLock { $0.nextRenewalAttempt } }

    /// A renewal request for the stored key; an unanswered request is due again after
    /// ``answerTimeout``.
    func makeRenewalRequest(now: Date = Date()) throws -> RenewRequest {
        let key = state.withLock { state in
            state.nextRenewalAttempt = now + Self.answerTimeout
            return state.credentials.privateKey
        }
        return RenewRequest(csrDER: try key.makeCertificateSigningRequest())
    }

    /// Stores the renewed certificate of `response` and switches to it; returns the new
    /// credentials.
    func adopt(_ response: RenewResponse) throws -> AgentCredentials {
        guard let leaf = response.certificateChainDER.first else {
            throw UplinkError.protocolViolation("empty renewed certificate chain")
        }
        let certificate = try Certificate(derEncoded: leaf)
        let renewed = try directory.storeRenewedCertificate(certificate)
        let tls = try UplinkTLS(credentials: renewed)
        state.withLock { state in
            state.credentials = renewed
            state.tls = tls
            state.nextRenewalAttempt = RenewalSchedule.renewalDate(for: certificate)
            state.refusedAttempts = 0
        }
        return renewed
    }

    /// Notes a refused renewal; returns when it will be tried again (doubling delays, never
    /// beyond the certificate's expiry while one is left).
    func renewalRefused(now: Date = Date()) -> Date {
        state.withLock { state in
            let delay = min(
                Self.retryDelays.lowerBound * pow(2, Double(state.refusedAttempts)), Self.retryDelays.upperBound)
            state.refusedAttempts += 1
            let remaining = max(state.credentials.certificate.notValidAfter.timeIntervalSince(now), 0)
            state.nextRenewalAttempt = now + min(delay, max(remaining / 2, Self.retryDelays.lowerBound))
            return state.nextRenewalAttempt
        }
    }
}
