import Foundation
import Logging
import OutpostCollector
import OutpostCore
import OutpostPKI
import OutpostStore
import OutpostTestSupport
import PostgresNIO
import Testing

@testable import OutpostCollectorTestSupport

@Suite("Configuration snapshots with items and decrypted credentials", .tags(.postgres), .needsPostgres)
struct CredentialSnapshotTests {
    static let logger = CredentialFixture.logger

    @Test("an agent's snapshot holds its own branch's devices, items and credentials, and nothing of another branch")
    func ownBranchOnly() async throws {
        try await TestDatabase.withMigrated { db, database in
            let fixture = try await CredentialFixture(db: db)
            try await db.query(
                "INSERT INTO system_config (key, value) VALUES ('ping.interval_seconds', '6.5'), ('ping.packets', '5')",
                logger: Self.logger)
            try await CredentialFixture.withClient(database) { client in
                let source = AgentConfigurationSource(client: client, masterKey: fixture.key, logger: Self.logger)
                let a = try await source.configuration(forBranch: fixture.branchA)
                #expect(a.pingIntervalSeconds == 6.5 && a.pingPackets == 5)
                #expect(Set(a.devices.map(\.id)) == [fixture.routerA, fixture.switchA])
                let router = try #require(a.devices.first { $0.id == fixture.routerA })
                #expect(router.snmp == .community(CredentialFixture.communityA))
                let switchA = try #require(a.devices.first { $0.id == fixture.switchA })
                #expect(
                    switchA.snmp
                        == SNMPCredential(
                            version: .v3, user: "monitor", authProtocol: "SHA-256", authKey: CredentialFixture.authKeyA,
                            privProtocol: "AES", privKey: CredentialFixture.privKeyA))
                let cpu = try #require(router.items.first { $0.name == "cpu_5min" })
                #expect(
                    cpu.oid == "1.3.6.1.4.1.9.9.109.1.1.1.1.8" && cpu.intervalSeconds == 60 && cpu.isTable
                        && cpu.valueType == "gauge32")
                #expect(router.items.first { $0.name == "uptime" }?.intervalSeconds == 300)
                #expect(router.items.count == 21)

                let payload = String(
                    decoding: try await source.snapshot(forBranch: fixture.branchA).payload, as: UTF8.self)
                #expect(payload.contains(CredentialFixture.communityA))
                #expect(
                    !payload.contains(CredentialFixture.communityB), "branch B's community went to branch A's agent")
                #expect(
                    !payload.contains(fixture.firewallB.uuidString.lowercased())
                        && !payload.contains(fixture.firewallB.uuidString))

                let b = try await source.configuration(forBranch: fixture.branchB)
                #expect(b.devices.map(\.id) == [fixture.firewallB])
                #expect(b.devices[0].snmp == .community(CredentialFixture.communityB))
                #expect(
                    b.devices[0].items.contains {
                        $0.name == "cpu" && $0.oid == "1.3.6.1.4.1.12356.101.4.1.3.0" && !$0.isTable
                    })
                // Printing a configuration never shows a secret.
                let printed = "\(a) \(String(reflecting: a))"
                #expect(!CredentialFixture.secrets.contains { printed.contains($0) })
            }
        }
    }

    @Test("the version changes when an item or a credential changes, and only then")
    func versionFollowsContent() async throws {
        try await TestDatabase.withMigrated { db, database in
            let fixture = try await CredentialFixture(db: db)
            try await CredentialFixture.withClient(database) { client in
                let source = AgentConfigurationSource(client: client, masterKey: fixture.key, logger: Self.logger)
                let first = try await source.snapshot(forBranch: fixture.branchA).version
                #expect(try await source.snapshot(forBranch: fixture.branchA).version == first)
                // Re-sealing the same credential (new nonce, new row) keeps the content, so the version.
                try await fixture.setCredential(
                    .community(CredentialFixture.communityA), device: fixture.routerA, db: db)
                #expect(try await source.snapshot(forBranch: fixture.branchA).version == first)

                try await db.query(
                    "UPDATE monitoring_items SET interval = 30 WHERE device_id = \(fixture.routerA) AND name = 'uptime'",
                    logger: Self.logger)
                let second = try await source.snapshot(forBranch: fixture.branchA).version
                #expect(second != first)
                try await fixture.setCredential(.community("another-community"), device: fixture.routerA, db: db)
                let third = try await source.snapshot(forBranch: fixture.branchA).version
                #expect(third != second)
                try await db.query(
                    "UPDATE monitoring_items SET enabled = false WHERE device_id = \(fixture.switchA) AND name = 'cpu_1min'",
                    logger: Self.logger)
                #expect(try await source.snapshot(forBranch: fixture.branchA).version != third)
                // Branch B did not change with all this.
                let b = try await source.snapshot(forBranch: fixture.branchB)
                #expect(b.version.count == 32)

                // Another master key gives other versions (keyed hash), and no key cannot serve credentials.
                let other = AgentConfigurationSource(client: client, masterKey: nil, logger: Self.logger)
                await #expect(throws: AgentConfigurationSource.MissingMasterKey.self) {
                    try await other.snapshot(forBranch: fixture.branchA)
                }
            }
        }
    }

    @Test("a ciphertext moved to another row, a tampered one, and the wrong key are clear errors")
    func tamperingAndWrongKey() async throws {
        try await TestDatabase.withMigrated { db, database in
            let fixture = try await CredentialFixture(db: db)
            // Four sealed secrets: community, auth key, priv key, community.
            #expect(try await MasterKeyCheck.verify(fixture.key, on: db, logger: Self.logger) == 4)
            let wrong = MasterKey.generate()
            await #expect {
                try await MasterKeyCheck.verify(wrong, on: db, logger: Self.logger)
            } throws: { error in
                (error as? CredentialOpeningError)?.reason
                    == .wrongKey(sealedUnder: fixture.key.fingerprintHex, masterKey: wrong.fingerprintHex)
            }
            // Branch B's community copied into branch A's router row: sealed under the right key, bound to another row.
            try await db.query(
                """
                UPDATE snmp_credentials SET community_encrypted = (SELECT community_encrypted FROM snmp_credentials WHERE device_id = \(fixture.firewallB))
                WHERE device_id = \(fixture.routerA)
                """, logger: Self.logger)
            await #expect {
                try await MasterKeyCheck.verify(fixture.key, on: db, logger: Self.logger)
            } throws: { error in
                let opening = error as? CredentialOpeningError
                return opening?.reason == .authenticationFailed && opening?.field.deviceID == fixture.routerA
                    && "\(error)".contains("snmp_credentials.community_encrypted")
            }
            try await CredentialFixture.withClient(database) { client in
                let source = AgentConfigurationSource(client: client, masterKey: fixture.key, logger: Self.logger)
                await #expect(throws: CredentialOpeningError.self) {
                    try await source.snapshot(forBranch: fixture.branchA)
                }
                let branchB = try await source.configuration(forBranch: fixture.branchB)
                #expect(branchB.devices.count == 1, "branch B is unaffected")
            }
            // One flipped bit in the switch's privacy key.
            let sealed = try #require(
                try await db.strings(
                    "SELECT priv_key_encrypted FROM snmp_credentials WHERE device_id = '\(fixture.switchA)'"
                ).first)
            var bytes = Array(try #require(Data(base64Encoded: sealed)))
            bytes[bytes.count - 20] ^= 0x80
            let tampered = Data(bytes).base64EncodedString()
            try await db.query(
                "UPDATE snmp_credentials SET priv_key_encrypted = \(tampered) WHERE device_id = \(fixture.switchA)",
                logger: Self.logger)
            let records = try await CredentialStore(logger: Self.logger).snmpCredentials(
                ofBranch: fixture.branchA, on: db)
            let record = try #require(records.first { $0.deviceID == fixture.switchA })
            #expect(throws: CredentialOpeningError.self) { try fixture.key.open(record) }
        }
    }

    @Test("rotate-key re-encrypts both credential tables in one transaction; the old key no longer opens them")
    func rotation() async throws {
        try await TestDatabase.withMigrated { db, database in
            let fixture = try await CredentialFixture(db: db)
            let discoveryID = UUID()
            let field = CredentialField(
                table: .discoveryCredentials, column: "community_encrypted", rowID: discoveryID, deviceID: nil)
            try await db.query(
                """
                INSERT INTO discovery_credentials (id, name, credential_type, community_encrypted)
                VALUES (\(discoveryID), 'branch sweep', 'snmp_v2c', \(try fixture.key.seal("discovery-community-8Hs", in: field)))
                """, logger: Self.logger)
            let store = CredentialStore(logger: Self.logger)
            let before = try await store.sealedValues(on: db)
            #expect(before.count == 5)

            // A wrong "old" key: refused, nothing changed.
            let new = MasterKey.generate()
            await #expect(throws: CredentialOpeningError.self) {
                try await MasterKeyRotation.rotate(
                    from: MasterKey.generate(), to: new, by: AuditActor(name: "test", source: "test"), on: db,
                    logger: Self.logger)
            }
            #expect(try await store.sealedValues(on: db) == before)

            let outcome = try await MasterKeyRotation.rotate(
                from: fixture.key, to: new, by: AuditActor(name: "test", source: "test"), on: db, logger: Self.logger)
            #expect(outcome == MasterKeyRotation.Outcome(rewritten: 5, alreadyRotated: 0))
            #expect(
                try await db.strings(
                    "SELECT changes->'values_resealed'->>'after' FROM audit_log WHERE action = 'reseal'")
                    == ["5"], "one audit entry for the rotation, none for the refused one")
            let after = try await store.sealedValues(on: db)
            #expect(after.allSatisfy { (try? MasterKey.fingerprintHex(ofSealed: $0.sealed)) == new.fingerprintHex })
            #expect(try await MasterKeyCheck.verify(new, on: db, logger: Self.logger) == 5)
            await #expect(throws: CredentialOpeningError.self) {
                try await MasterKeyCheck.verify(fixture.key, on: db, logger: Self.logger)
            }
            #expect(
                try new.open(try #require(after.first { $0.field == field }).sealed, in: field)
                    == "discovery-community-8Hs")

            try await CredentialFixture.withClient(database) { client in
                let a = try await AgentConfigurationSource(client: client, masterKey: new, logger: Self.logger)
                    .configuration(forBranch: fixture.branchA)
                #expect(a.devices.first { $0.id == fixture.routerA }?.snmp == .community(CredentialFixture.communityA))
                #expect(a.devices.first { $0.id == fixture.switchA }?.snmp?.privKey == CredentialFixture.privKeyA)
            }
            // Running it again (e.g. after a crash before the operator saw the result) is harmless.
            #expect(
                try await MasterKeyRotation.rotate(
                    from: fixture.key, to: new, by: AuditActor(name: "test", source: "test"), on: db,
                    logger: Self.logger)
                    == MasterKeyRotation.Outcome(rewritten: 0, alreadyRotated: 5))
        }
    }

    @Test("configurations cached by older agents (no items, no credentials) still decode")
    func backwardCompatibleDecoding() throws {
        let id = UUID()
        let old =
            #"{"devices":[{"address":"10.0.0.1","id":"\#(id.uuidString)","name":"r1"}],"pingIntervalSeconds":10,"pingPackets":3}"#
        let configuration = try AgentConfiguration(encoded: Array(old.utf8))
        #expect(configuration.devices == [AgentConfiguration.Device(id: id, name: "r1", address: "10.0.0.1")])
        #expect(configuration.devices[0].items.isEmpty && configuration.devices[0].snmp == nil)
        let roundTrip = try AgentConfiguration(
            encoded: try AgentConfiguration(devices: [
                .init(
                    id: id, name: "r1", address: "10.0.0.1",
                    items: [
                        .init(
                            id: UUID(), name: "uptime", oid: "1.3.6.1.2.1.1.3.0", intervalSeconds: 300,
                            valueType: "timeticks", isTable: false)
                    ],
                    snmp: .community("c"))
            ]).encoded())
        #expect(roundTrip.devices[0].items.count == 1 && roundTrip.devices[0].snmp == .community("c"))
    }
}
