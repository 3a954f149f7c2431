import Foundation
import OutpostStore
import OutpostTestSupport
import PostgresNIO
import Testing

/// The database URL's `sslmode` and `sslrootcert` against a real PostgreSQL with `ssl=on`
/// whose certificate (for `localhost` only) is issued by a throwaway private CA.
@Suite(.tags(.postgres), .needsPostgres, .needsPostgresBinaries) struct DatabaseTLSTests {
    /// A TLS cluster, its CA and another CA that did not issue its certificate.
    struct Fixture {
        let cluster: TestPostgresCluster
        let serverCA: OpenSSLTestCA
        let otherCA: OpenSSLTestCA

        /// The cluster's URL reaching it as `host`, with `query`.
        func url(host: String, _ query: String) throws -> DatabaseURL {
            try DatabaseURL("postgres://outpost@\(host):\(cluster.port)/postgres?\(query)")
        }

        /// The cluster's URL reaching it as `host` in `mode`, with `ca` as `sslrootcert`.
        func url(host: String, _ mode: DatabaseSSLMode, trusting ca: OpenSSLTestCA) throws -> DatabaseURL {
            try url(host: host, "sslmode=\(mode)&sslrootcert=\(ca.certificate)")
        }
    }

    static func withFixture(_ body: (Fixture) async throws -> Void) async throws {
        try await withTemporaryDirectory("db-tls") { directory in
            let serverCA = try await OpenSSLTestCA(in: directory, name: "database-ca")
            let otherCA = try await OpenSSLTestCA(in: directory, name: "other-ca")
            let cluster = try TestPostgresCluster(
                tls: try await serverCA.issueServer(named: "server", dnsNames: ["localhost"]))
            try await body(Fixture(cluster: cluster, serverCA: serverCA, otherCA: otherCA))
        }
    }

    /// Connects to `url` and returns whether the session is encrypted, as the server sees it.
    static func encrypted(over url: DatabaseURL) async throws -> Bool {
        let connection = try await url.connect(id: 1, logger: TestDatabase.logger)
        do {
            let rows = try await connection.query(
                "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", logger: TestDatabase.logger)
            var encrypted = false
            for try await ssl in rows.decode(Bool.self) { encrypted = ssl }
            try await connection.close()
            return encrypted
        } catch {
            try? await connection.close()
            throw error
        }
    }

    /// The error of connecting to `url`, which must fail.
    static func refusal(_ url: DatabaseURL) async throws -> DatabaseConnectionError? {
        await #expect(throws: DatabaseConnectionError.self) {
            let connection = try await url.connect(id: 1, logger: TestDatabase.logger)
            try await connection.close()
        }
    }

    @Test("verify-full: the private CA of sslrootcert and the host name must both match")
    func verifyFull() async throws {
        try await Self.withFixture { fixture in
            #expect(
                try await Self.encrypted(over: fixture.url(host: "localhost", .verifyFull, trusting: fixture.serverCA)))

            let untrusted = try await Self.refusal(
                fixture.url(host: "localhost", .verifyFull, trusting: fixture.otherCA))
            #expect(untrusted?.reason == .untrustedCertificate)
            #expect(
                untrusted?.description == "PostgreSQL at localhost:\(fixture.cluster.port) (sslmode=verify-full): "
                    + "the server's TLS certificate is not signed by a CA of sslrootcert \(fixture.otherCA.certificate)"
            )

            // The certificate names localhost only: 127.0.0.1 is another host.
            let mismatch = try await Self.refusal(
                fixture.url(host: "127.0.0.1", .verifyFull, trusting: fixture.serverCA))
            #expect(mismatch?.reason == .hostNameMismatch)
            #expect(
                mismatch?.description.contains("does not name 127.0.0.1") == true, "\(String(describing: mismatch))")
        }
    }

    @Test("verify-full through the collector's connection pool (PostgresClient)")
    func verifyFullPool() async throws {
        try await Self.withFixture { fixture in
            let url = try fixture.url(host: "localhost", .verifyFull, trusting: fixture.serverCA)
            let client = PostgresClient(configuration: url.clientConfiguration, backgroundLogger: TestDatabase.logger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await client.run() }
                defer { group.cancelAll() }
                let rows = try await client.query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
                var encrypted: [Bool] = []
                for try await ssl in rows.decode(Bool.self) { encrypted.append(ssl) }
                #expect(encrypted == [true])
            }
        }
    }

    @Test("verify-ca skips the host name; require verifies like verify-full; disable stays plain")
    func otherModes() async throws {
        try await Self.withFixture { fixture in
            #expect(
                try await Self.encrypted(over: fixture.url(host: "127.0.0.1", .verifyCA, trusting: fixture.serverCA)))
            #expect(
                try await Self.refusal(fixture.url(host: "127.0.0.1", .verifyCA, trusting: fixture.otherCA))?.reason
                    == .untrustedCertificate)

            // The private CA is not in the system's trust store.
            let require = try await Self.refusal(try fixture.url(host: "localhost", "sslmode=require"))
            #expect(require?.reason == .untrustedCertificate)
            #expect(require?.description.contains("the system's trust store") == true)

            #expect(try await Self.encrypted(over: try fixture.url(host: "127.0.0.1", "sslmode=disable")) == false)
        }
    }
}
