import OutpostCore
import Testing

@testable import OutpostProbes

@Suite("SNMP security from a configuration snapshot's credential")
struct SNMPSecurityCredentialTests {
    @Test("v1, v2c and v3 credentials map to the engine's security; unsupported or incomplete ones are refused")
    func mapping() throws {
        #expect(try SNMPSecurity(.community("public", version: .v1)) == .v1(community: "public"))
        #expect(try SNMPSecurity(.community("public")) == .v2c(community: "public"))
        let v3 = SNMPCredential(
            version: .v3, user: "mon", authProtocol: "SHA-256", authKey: "auth-pass-1", privProtocol: "AES",
            privKey: "priv-pass-2")
        #expect(
            try SNMPSecurity(v3)
                == .v3(
                    SNMPv3User(
                        userName: "mon", authentication: .init(.sha256, passphrase: "auth-pass-1"),
                        privacy: .init(.aes128, passphrase: "priv-pass-2"))))
        #expect(try SNMPSecurity(SNMPCredential(version: .v3, user: "mon")) == .v3(SNMPv3User(userName: "mon")))

        var unsupported = v3
        unsupported.privProtocol = "AES-256"
        #expect(throws: SNMPError.self) { try SNMPSecurity(unsupported) }
        #expect(throws: SNMPError.self) { try SNMPSecurity(SNMPCredential(version: .v2c)) }
        #expect(throws: SNMPError.self) {
            try SNMPSecurity(SNMPCredential(version: .v3, user: "mon", authKey: "short"))
        }
    }
}
