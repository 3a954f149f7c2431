import Foundation
import OutpostCore
import SwiftASN1
import X509

/// An agent certificate just issued, with what the collector records in the `agents` table.
public struct IssuedAgentCertificate: Sendable {
    /// The agent's identity (new on enrolment, unchanged on renewal).
    public let agentID: AgentID
    /// The branch name written in the subject's OU.
    public let branch: String
    /// The certificate.
    public let certificate: Certificate
    /// The certificate in DER, as sent to the agent.
    public let derEncoded: [UInt8]

    /// The random 20-byte serial number, to record (and to revoke by).
    public var serialNumber: Certificate.SerialNumber { certificate.serialNumber }
    /// The end of the certificate's validity.
    public var notValidAfter: Date { certificate.notValidAfter }
    /// The agent's public key as the certificate's subjectPublicKey bits: for P-256 the 65-byte
    /// uncompressed X9.63 point (for the `agents.public_key` column and batch signature checks;
    /// read back with `P256.Signing.PublicKey(x963Representation:)`).
    public var publicKeyDER: [UInt8] { Array(certificate.publicKey.subjectPublicKeyInfoBytes) }

    /// The certificate as PEM.
    public var pemEncoded: String {
        get throws { try CertificateFile.pem(certificate) }
    }

    init(agentID: AgentID, branch: String, certificate: Certificate) throws {
        self.agentID = agentID
        self.branch = branch
        self.certificate = certificate
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        self.derEncoded = serializer.serializedBytes
    }
}
