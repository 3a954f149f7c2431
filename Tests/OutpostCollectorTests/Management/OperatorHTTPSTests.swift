import Foundation
import OutpostCollector
import OutpostSettings
import OutpostStore
import OutpostTestSupport
import Testing

@testable import OutpostCollectorTestSupport

@Suite("Operator HTTP: TLS, and plain HTTP kept on loopback", .tags(.postgres), .needsPostgres)
struct OperatorHTTPSTests {
    static func settings(_ environment: [String: String]) throws -> CollectorSettings {
        try CollectorSettings(
            config: nil, environment: ["OUTPOST_DATABASE_URL": "postgres://x@127.0.0.1/x"].merging(environment) { $1 })
    }

    @Test("plain HTTP on a non-loopback address is refused unless a TLS proxy is declared")
    func plainStaysOnLoopback() throws {
        #expect(try Self.settings([:]).operatorHTTP(serverIdentity: nil).tls == nil)
        let remote = ["OUTPOST_HTTP_LISTEN": "0.0.0.0:8080"]
        #expect {
            try Self.settings(remote).operatorHTTP(serverIdentity: nil)
        } throws: { ($0 as? SettingsError)?.description.contains("http_tls_cert") == true }
        let proxied = try Self.settings(remote.merging(["OUTPOST_HTTP_ALLOW_PLAIN_REMOTE": "true"]) { $1 })
            .operatorHTTP(serverIdentity: nil)
        #expect(proxied.tls == nil && proxied.secureCookies)
        #expect(throws: SettingsError.self) {
            try Self.settings(["OUTPOST_HTTP_TLS_CERT": "/nonexistent.crt"]).operatorHTTP(serverIdentity: nil)
        }
        #expect(throws: SettingsError.self) {
            try Self.settings(["OUTPOST_HTTP_PUBLIC_ORIGIN": "noc.example.ge"]).operatorHTTP(serverIdentity: nil)
        }
        let origins = try Self.settings(["OUTPOST_HTTP_PUBLIC_ORIGIN": "https://noc.example.ge, http://10.0.0.5:8080"])
            .operatorHTTP(serverIdentity: nil).publicOrigins
        #expect(origins == ["https://noc.example.ge", "http://10.0.0.5:8080"])
    }

    @Test("with the collector's server identity the port serves HTTPS and the session cookie is Secure")
    func https() async throws {
        let ca = try TestCA()
        let server = try ca.issueServer()
        let directory = try TemporaryDirectory()
        try (try ca.ca.certificatePEM).write(toFile: directory.child("ca.pem"), atomically: true, encoding: .utf8)
        let configuration = try Self.settings([
            "OUTPOST_HTTP_LISTEN": "0.0.0.0:0", "OUTPOST_HTTP_TLS_SERVER_IDENTITY": "true",
        ]).operatorHTTP(serverIdentity: (server.chainPEM, try server.key.pemEncoded))
        let tls = try #require(configuration.tls)
        try await TestDatabase.withMigrated { db, database in
            _ = try await OperatorAccounts.add("tls-admin", role: .admin, on: db)
            try await OperatorHTTPFixture().withServer(database: database.url, configure: { $0.tls = tls }) { http in
                let port = try #require(http.base.split(separator: ":").last)
                let login = try await Command.run(
                    "curl",
                    [
                        "-sS", "-D", "-", "--cacert", directory.child("ca.pem"), "-H", "Content-Type: application/json",
                        "-d", #"{"username":"tls-admin","password":"\#(OperatorAccounts.password)"}"#,
                        "https://127.0.0.1:\(port)/api/v1/session",
                    ])
                #expect(login.status == 0, "\(login.combined)")
                #expect(login.standardOutput.hasPrefix("HTTP/1.1 200"), "\(login.standardOutput)")
                let cookie = login.standardOutput.split(separator: "\r\n").first {
                    $0.lowercased().hasPrefix("set-cookie:")
                }
                #expect(cookie?.contains("Secure") == true, "\(cookie ?? "no cookie")")
                let plain = try await Command.run(
                    "curl", ["-sS", "-o", "/dev/null", "http://127.0.0.1:\(port)/healthz"])
                #expect(plain.status != 0, "plain HTTP must not be answered on the HTTPS port")
            }
        }
    }
}
