import Foundation
import OutpostCore
import OutpostPKI
import OutpostTestSupport
import Testing
import X509

@Suite struct AgentIdentityTests {
    @Test func identityComesFromTheSANURI() throws {
        let fixture = try TestCA()
        let issued = try fixture.issueAgent(branch: "Faro")
        #expect(try AgentIdentity.agentID(of: issued.certificate) == issued.agentID)
        #expect(AgentIdentity.branch(of: issued.certificate) == "Faro")
        #expect(AgentIdentity.uri(for: issued.agentID) == "outpost://agent/\(issued.agentID)")
    }

    @Test func certificatesWithoutExactlyOneAgentURIAreRejected() throws {
        let agentA = AgentID.random()
        let agentB = AgentID.random()
        let cases: [([GeneralName]?, AgentIdentityError)] = [
            (nil, .noAgentURI),
            ([.dnsName("agent.example")], .noAgentURI),
            ([.uniformResourceIdentifier("https://example.com/agent/\(agentA)")], .noAgentURI),
            (
                [
                    .uniformResourceIdentifier(AgentIdentity.uri(for: agentA)),
                    .uniformResourceIdentifier(AgentIdentity.uri(for: agentB)),
                ],
                .multipleAgentURIs(2)
            ),
            (
                [
                    .uniformResourceIdentifier(AgentIdentity.uri(for: agentA)),
                    .uniformResourceIdentifier("outpost://collector/x"),
                ],
                .multipleAgentURIs(2)
            ),
            (
                [.uniformResourceIdentifier("outpost://agent/not-a-uuid")],
                .malformedAgentURI("outpost://agent/not-a-uuid")
            ),
            (
                [.uniformResourceIdentifier("outpost://agent/\(agentA)/extra")],
                .malformedAgentURI("outpost://agent/\(agentA)/extra")
            ),
            (
                [.uniformResourceIdentifier("OUTPOST://agent/\(agentA)")],
                .malformedAgentURI("OUTPOST://agent/\(agentA)")
            ),
        ]
        for (names, expected) in cases {
            let certificate = try selfSignedCertificate(subjectAlternativeNames: names)
            #expect(throws: expected) { try AgentIdentity.agentID(of: certificate) }
        }
        // One agent URI beside other kinds of names is fine.
        let mixed = try selfSignedCertificate(subjectAlternativeNames: [
            .dnsName("agent.example"), .uniformResourceIdentifier(AgentIdentity.uri(for: agentA)),
        ])
        #expect(try AgentIdentity.agentID(of: mixed) == agentA)
    }

    /// A throw-away certificate carrying `subjectAlternativeNames` (identity extraction does
    /// not look at signatures; chain checks are tested elsewhere).
    private func selfSignedCertificate(subjectAlternativeNames: [GeneralName]?) throws -> Certificate {
        let key = P256Key.generate()
        let name = try DistinguishedName { CommonName("test") }
        let extensions = try Certificate.Extensions {
            if let subjectAlternativeNames {
                SubjectAlternativeNames(subjectAlternativeNames)
            }
        }
        return try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: key.publicKey,
            notValidBefore: Date(),
            notValidAfter: Date() + 3_600,
            issuer: name,
            subject: name,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: extensions,
            issuerPrivateKey: key.certificateKey
        )
    }
}
