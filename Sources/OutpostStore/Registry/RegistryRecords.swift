import Foundation
import OutpostCore

/// A row of `enrolment_tokens`, without anything secret (the table holds only a hash).
public struct EnrolmentTokenRecord: Sendable, Equatable {
    /// `enrolment_tokens.id`: how operators name a token (`token revoke ID`).
    public let id: UUID
    /// The branch an agent enrolled with this token joins.
    public let branchName: String
    /// When the token was created (UTC).
    public let createdAt: Date
    /// When the token stops being accepted (UTC).
    public let expiresAt: Date
    /// When an agent consumed it, if one did.
    public let usedAt: Date?
    /// The agent that consumed it, if one did.
    public let usedByAgent: AgentID?
    /// When an operator revoked it, if one did.
    public let revokedAt: Date?

    /// `used`, `revoked`, `expired` (at `now`) or `valid`.
    public func state(now: Date = Date()) -> String {
        if usedAt != nil { return "used" }
        if revokedAt != nil { return "revoked" }
        if expiresAt <= now { return "expired" }
        return "valid"
    }
}

/// What an enrolment token grants once consumed: membership of its branch.
public struct EnrolmentGrant: Sendable, Equatable {
    /// The consumed token's id (safe to log; the token text is not).
    public let tokenID: UUID
    /// The branch's id.
    public let branchID: UUID
    /// The branch's name, for the certificate.
    public let branchName: String
}

/// The new agent to record when a token is consumed: what its certificate certifies.
public struct NewAgentRecord: Sendable, Equatable {
    /// The identity in the certificate's SAN URI.
    public let agentID: AgentID
    /// The agent's public key, DER SubjectPublicKeyInfo.
    public let publicKeyDER: [UInt8]
    /// The certificate's serial number, lower-case hex.
    public let certificateSerial: String
    /// The certificate's expiry.
    public let certificateNotAfter: Date

    /// Creates a record.
    public init(agentID: AgentID, publicKeyDER: [UInt8], certificateSerial: String, certificateNotAfter: Date) {
        self.agentID = agentID
        self.publicKeyDER = publicKeyDER
        self.certificateSerial = certificateSerial
        self.certificateNotAfter = certificateNotAfter
    }
}

/// A row of `agents`, as `agents list` shows it.
public struct AgentRecord: Sendable, Equatable {
    /// The agent's identity.
    public let id: AgentID
    /// Its branch's name.
    public let branchName: String
    /// `active` or `revoked`.
    public let status: String
    /// Its current certificate's serial, lower-case hex.
    public let certificateSerial: String
    /// Its current certificate's expiry.
    public let certificateNotAfter: Date
    /// When it enrolled.
    public let enrolledAt: Date
    /// When a collector last heard from it.
    public let lastSeen: Date?
    /// The latest health summary of its heartbeats, if it sent one.
    public let health: AgentHealthStatus?
}

/// A row of `revoked_certificates`.
public struct RevokedCertificateRecord: Sendable, Equatable {
    /// The certificate's serial, lower-case hex.
    public let serial: String
    /// When it was revoked.
    public let revokedAt: Date
    /// The operator's reason (`agents revoke --reason`), if any.
    public let reason: String?
}

/// What batch signature checks and session admission need to know about an agent.
public struct AgentKey: Sendable, Equatable {
    /// The public key of its current certificate, DER SubjectPublicKeyInfo.
    public let publicKeyDER: [UInt8]
    /// Whether the agent is revoked (`agents.status = 'revoked'`): refuse it whatever its certificate.
    public let isRevoked: Bool
    /// Its branch's id.
    public let branchID: UUID
}
