import Foundation
import OutpostCollector
import OutpostCore
import OutpostPKI
import OutpostStore
import OutpostTestSupport
import Testing

@testable import OutpostCollectorTestSupport

@Suite("Management API: SNMP credentials", .tags(.postgres), .needsPostgres)
struct CredentialRouteTests {
    static let authKey = "auth-passphrase-7d1f"
    static let privKey = "priv-passphrase-93ab"
    static let community = "community-5e2c"

    @Test("a credential PUT is sealed for the agents, shown without secrets, audited masked, and deleted")
    func lifecycle() async throws {
        let key = MasterKey.generate()
        try await OperatorHTTPFixture.withServer(onNewDatabase: true, masterKey: key) { db, http in
            let admin = try await OperatorAccounts.admin(http, on: db)
            let branch = try await Fixture.branch("branch-c", on: db)
            let device = try await Fixture.device("router-c", ip: "10.9.0.1", branch: branch, on: db)
            let path = "/api/v1/devices/\(device.uuidString.lowercased())/credential"
            var replies: [HTTPTestClient.Reply] = []

            let put = try await admin.send(
                "PUT", path,
                json: [
                    "version": "v3", "user": "monitor", "auth_protocol": "SHA-256", "auth_key": Self.authKey,
                    "priv_key": Self.privKey,
                ])
            replies.append(put)
            #expect(put.status == 200, "\(put.text)")
            let shown = try await admin.get(path)
            replies.append(shown)
            let view = try shown.json()
            #expect(view["version"] as? String == "v3")
            #expect(view["user"] as? String == "monitor")
            #expect(view["auth_protocol"] as? String == "SHA-256")
            #expect(view["priv_protocol"] as? String == "AES")
            #expect(view["security_level"] as? String == "authPriv")
            #expect(view["set"] as? Bool == true)
            #expect(Set(view.keys) == ["version", "user", "auth_protocol", "priv_protocol", "security_level", "set"])

            let sealed = try await CredentialStore(logger: TestDatabase.logger).snmpCredentials(
                ofBranch: branch, on: db)
            #expect(sealed.count == 1)
            let opened = try key.open(try #require(sealed.first))
            #expect(
                opened
                    == SNMPCredential(
                        version: .v3, user: "monitor", authProtocol: "SHA-256", authKey: Self.authKey,
                        privProtocol: "AES", privKey: Self.privKey))

            let replaced = try await admin.send("PUT", path, json: ["version": "v2c", "community": Self.community])
            replies.append(replaced)
            #expect(replaced.status == 200, "\(replaced.text)")
            let reopened = try await CredentialStore(logger: TestDatabase.logger).snmpCredentials(
                ofBranch: branch, on: db)
            #expect(try reopened.map { try key.open($0) } == [.community(Self.community)])

            let audit = try await db.strings(
                "SELECT action || ' ' || changes::text FROM audit_log WHERE entity = 'snmp_credential' ORDER BY id")
            #expect(audit.map { $0.prefix(6) } == ["create", "update"])
            #expect(audit.allSatisfy { $0.contains("********") })
            let everything = (audit + replies.map(\.text)).joined()
            for secret in [Self.authKey, Self.privKey, Self.community] {
                #expect(!everything.contains(secret), "\(secret) leaked")
            }

            #expect(try await admin.send("DELETE", path).status == 204)
            #expect(try await admin.get(path).status == 404)
            #expect(try await admin.send("DELETE", path).status == 404)
            #expect(try await db.integer("SELECT count(*) FROM snmp_credentials") == 0)
            #expect(
                try await db.integer(
                    "SELECT count(*) FROM audit_log WHERE entity = 'snmp_credential' AND action = 'delete'") == 1)
        }
    }

    @Test("inconsistent credentials are refused naming the field, as on the command line")
    func validation() async throws {
        try await OperatorHTTPFixture.withServer(onNewDatabase: true, masterKey: .generate()) { db, http in
            let admin = try await OperatorAccounts.admin(http, on: db)
            let device = try await Fixture.device("switch-v", ip: "10.9.0.2", on: db)
            let path = "/api/v1/devices/\(device.uuidString.lowercased())/credential"
            let refusals: [([String: Any], String)] = [
                (["version": "v4", "community": "x"], "version"),
                (["version": "v2c"], "community"),
                (["version": "v2c", "community": "x", "user": "u"], "user"),
                (["version": "v3", "user": "u", "auth_key": "short"], "auth_key"),
                (["version": "v3", "user": "u", "priv_key": Self.privKey], "priv_key"),
                (["version": "v3", "user": "u", "auth_key": Self.authKey, "auth_protocol": "SHA-1"], "auth_protocol"),
                (["version": "v3", "community": "x"], "community"),
                (["version": "v2c", "community": "x", "comunity": "typo"], "comunity"),
            ]
            for (body, field) in refusals {
                let reply = try await admin.send("PUT", path, json: body)
                #expect(reply.status == 400, "\(body): \(reply.text)")
                #expect(try reply.json()["field"] as? String == field, "\(body): \(reply.text)")
            }
            #expect(try await db.integer("SELECT count(*) FROM snmp_credentials") == 0)
            let unknown = try await admin.send(
                "PUT", "/api/v1/devices/\(UUID().uuidString)/credential", json: ["version": "v2c", "community": "x"])
            #expect(unknown.status == 404)
        }
    }

    @Test("without a master key the credential routes answer 503")
    func noMasterKey() async throws {
        try await OperatorHTTPFixture.withServer(onNewDatabase: true) { db, http in
            let admin = try await OperatorAccounts.admin(http, on: db)
            let device = try await Fixture.device("router-n", ip: "10.9.0.3", on: db)
            let path = "/api/v1/devices/\(device.uuidString.lowercased())/credential"
            let reply = try await admin.send("PUT", path, json: ["version": "v2c", "community": "x"])
            #expect(reply.status == 503)
            #expect((try reply.json()["error"] as? String)?.contains("no master key") == true)
            #expect(try await admin.get(path).status == 503)
        }
    }
}
