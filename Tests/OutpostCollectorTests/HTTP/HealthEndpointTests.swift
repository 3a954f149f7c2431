import Foundation
import OutpostCollector
import OutpostStore
import OutpostTestSupport
import PostgresNIO
import Prometheus
import Testing

@testable import OutpostCollectorTestSupport

@Suite("Operator HTTP: /healthz and /readyz", .tags(.postgres), .needsPostgres)
struct HealthEndpointTests {
    @Test("healthz answers 200; readyz 200 on a migrated database")
    func migrated() async throws {
        try await OperatorHTTPFixture.withServer(onNewDatabase: true) { _, http in
            let health = try await http.get("/healthz")
            #expect(health.status == 200)
            #expect(try health.json()["status"] as? String == "ok")
            let ready = try await http.get("/readyz")
            #expect(ready.status == 200)
            #expect(ready.contentType?.hasPrefix("application/json") == true)
            let body = try ready.json()
            #expect(body["status"] as? String == "ready")
            #expect((body["detail"] as? String)?.contains("\(Migration.all.count) migrations applied") == true)
        }
    }

    @Test("readyz 503 with a reason on an unmigrated database, and when a migration is pending")
    func unmigrated() async throws {
        try await OperatorHTTPFixture.withServer(onNewDatabase: false) { db, http in
            let ready = try await http.get("/readyz")
            #expect(ready.status == 503)
            let body = try ready.json()
            #expect(body["status"] as? String == "not_ready")
            #expect((body["reason"] as? String)?.contains("not migrated") == true)
            #expect(try await http.get("/healthz").status == 200)

            // Readiness never writes: the probe did not create the bookkeeping table.
            #expect(
                try await db.integer("SELECT count(*) FROM pg_tables WHERE tablename = 'schema_migrations'") == 0)

            try await MigrationRunner(logger: TestDatabase.logger).migrate(on: db)
            #expect(try await http.get("/readyz").status == 200)
            let last = Migration.all.map(\.version).max()!
            try await db.query("DELETE FROM schema_migrations WHERE version = \(last)", logger: TestDatabase.logger)
            let pending = try await http.get("/readyz")
            #expect(pending.status == 503)
            #expect((try pending.json()["reason"] as? String)?.contains("[\(last)] are not applied") == true)
        }
    }

    @Test("readyz 503 with a reason, within its deadline, when PostgreSQL is unreachable")
    func unreachable() async throws {
        // A loopback port nothing listens on.
        let nowhere = try DatabaseURL("postgres://outpost@127.0.0.1:\(try FreePort.tcp())/outpost")
        try await OperatorHTTPFixture().withServer(database: nowhere, readinessTimeout: .seconds(1)) { http in
            let started = ContinuousClock.now
            let ready = try await http.get("/readyz")
            let elapsed = started.duration(to: .now)
            #expect(ready.status == 503)
            let reason = try ready.json()["reason"] as? String
            #expect(reason?.hasPrefix("PostgreSQL unreachable") == true, "reason: \(reason ?? "none")")
            // A 1 s deadline, with slack for a loaded 2-core machine.
            #expect(elapsed < .seconds(10), "readyz took \(elapsed)")
            #expect(try await http.get("/healthz").status == 200)
            let devices = try await http.with(token: "opt_unchecked").get("/api/v1/status/devices")
            #expect(devices.status == 503)
            #expect((try devices.json()["error"] as? String)?.hasPrefix("database unavailable") == true)
        }
    }

    @Test("an address in use is a clear error naming it, and boundAddress fails instead of waiting")
    func addressInUse() async throws {
        // The test cluster's port is taken by PostgreSQL.
        let taken = try TestDatabase.serverURL()
        let client = PostgresClient(
            configuration: taken.clientConfiguration, backgroundLogger: OperatorHTTPFixture.logger)
        let server = OperatorHTTPServer(
            configuration: OperatorHTTPConfiguration(host: "127.0.0.1", port: taken.port), client: client,
            sessions: SessionRegistry(), metrics: PrometheusCollectorRegistry(), logger: OperatorHTTPFixture.logger)
        let error = await #expect(throws: OperatorHTTPServer.CannotListen.self) { try await server.run() }
        #expect(error?.description.hasPrefix("operator HTTP cannot listen on 127.0.0.1:\(taken.port): ") == true)
        await #expect(throws: (any Error).self) { try await server.boundAddress }
    }
}
