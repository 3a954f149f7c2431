import OutpostProbes
import Testing

@Suite struct SNMPTargetTests {
    @Test func descriptionNeverContainsSecrets() {
        let v3 = SNMPTarget(
            host: "10.0.0.1",
            security: .v3(
                SNMPv3User(
                    userName: "monitor", authentication: .init(.sha256, passphrase: "auth-secret-xyz"),
                    privacy: .init(.aes128, passphrase: "priv-secret-xyz"))))
        let v2 = SNMPTarget(host: "10.0.0.1", security: .v2c(community: "community-secret-xyz"))
        for text in [v3.description, "\(v3)", String(reflecting: v3.security), v2.description, "\(v2.security)"] {
            #expect(!text.contains("secret-xyz"), "\(text)")
        }
        #expect(v3.description.contains("authPriv"))
        #expect(v3.description.contains("monitor"))
    }
}
