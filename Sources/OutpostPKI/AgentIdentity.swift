import Foundation
import OutpostCore
import X509

/// How an agent's identity is written into, and read from, its certificate.
///
/// An agent certificate carries exactly one SAN URI `outpost://agent/<uuid>` (the
/// ``OutpostCore/AgentID``), and its subject is `O=Outpost, OU=<branch name>, CN=<uuid>`.
/// Only the SAN URI is authoritative; the subject is for people reading the certificate.
public enum AgentIdentity {
    /// The prefix of the agent SAN URI.
    public static let uriPrefix = "outpost://agent/"

    /// The SAN URI naming `agentID`.
    public static func uri(for agentID: AgentID) -> String {
        uriPrefix + agentID.description
    }

    /// The agent named by `certificate`'s SAN. Throws unless the certificate carries exactly
    /// one `outpost:` URI and it is `outpost://agent/<uuid>`.
    public static func agentID(of certificate: Certificate) throws(AgentIdentityError) -> AgentID {
        let extensionValue: SubjectAlternativeNames?
        do {
            extensionValue = try certificate.extensions.subjectAlternativeNames
        } catch {
            throw .malformedSubjectAlternativeNames
        }
        guard let names = extensionValue else { throw .noAgentURI }
        let outpostURIs = names.compactMap { name -> String? in
            guard case .uniformResourceIdentifier(let uri) = name,
                uri.lowercased().hasPrefix("outpost:")
            else { return nil }
            return uri
        }
        guard outpostURIs.count == 1, let uri = outpostURIs.first else {
            throw outpostURIs.isEmpty ? .noAgentURI : .multipleAgentURIs(outpostURIs.count)
        }
        guard uri.hasPrefix(uriPrefix) else { throw .malformedAgentURI(uri) }
        let text = uri.dropFirst(uriPrefix.count)
        guard text.count == 36, let uuid = UUID(uuidString: String(text)) else { throw .malformedAgentURI(uri) }
        return AgentID(uuid)
    }

    /// The branch name from the subject's OU, if present. Informational only.
    public static func branch(of certificate: Certificate) -> String? {
        for rdn in certificate.subject {
            for attribute in rdn where attribute.type == .RDNAttributeType.organizationalUnitName {
                return String(attribute.value)
            }
        }
        return nil
    }
}

/// A certificate does not name exactly one Outpost agent.
public enum AgentIdentityError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No `outpost://agent/` SAN URI.
    case noAgentURI
    /// More than one `outpost:` SAN URI: ambiguous identity.
    case multipleAgentURIs(Int)
    /// An `outpost:` URI that is not `outpost://agent/<uuid>`.
    case malformedAgentURI(String)
    /// The SubjectAlternativeName extension cannot be decoded.
    case malformedSubjectAlternativeNames

    public var description: String {
        switch self {
        case .noAgentURI: "certificate has no outpost://agent/ URI"
        case .multipleAgentURIs(let count): "certificate has \(count) outpost: URIs, expected exactly one"
        case .malformedAgentURI(let uri): "malformed agent URI \(uri.debugDescription)"
        case .malformedSubjectAlternativeNames: "certificate's SubjectAlternativeName extension is malformed"
        }
    }
}
