import Foundation
import OutpostStore
import OutpostTestSupport
import PostgresNIO
import Testing

@testable import OutpostCollectorTestSupport

@Suite("Console: the reports page", .tags(.postgres), .needsPostgres)
struct ReportsPageTests {
    /// `date` as `YYYY-MM-DD` in UTC.
    static func day(_ date: Date) -> String { String(date.formatted(.iso8601).prefix(10)) }

    @Test("rows with availability, MTTR and MTBF, a drill-down to one row's outages, CSV links, the scope")
    func reportPage() async throws {
        try await OperatorHTTPFixture.withServer(onNewDatabase: true) { db, http in
            _ = try await ReportRouteTests.fixture(db)
            let viewer = try await AlertsPageTests.session(http, "vera", .viewer, on: db)
            let cookie = ["Cookie": "outpost_session=\(viewer.sessionCookie ?? ""); outpost_tz=UTC"]
            let range =
                "from=\(Self.day(Date().addingTimeInterval(-86_400)))&to=\(Self.day(Date().addingTimeInterval(86_400)))"
            let reply = try await viewer.get("/reports?\(range)&by=region", headers: cookie)
            #expect(reply.status == 200, "\(reply.text)")
            let html = reply.text
            #expect(
                html.contains(#"href="/reports" aria-current="page""#)
                    || html.contains(#"aria-current="page" href="/reports""#))
            let rows = html.components(separatedBy: "<tr data-key=").dropFirst()
            #expect(rows.count == 2)
            let imereti = try #require(rows.first { $0.hasPrefix("\"Imereti\"") })
            #expect(imereti.contains("<td>1</td>"))
            #expect(imereti.contains("30m"))
            #expect(html.contains("Choose a row to list its outages."))
            let drilled = try await viewer.get("/reports?\(range)&by=region&group=Imereti", headers: cookie)
            #expect(drilled.text.contains("Outages of Imereti"))
            #expect(drilled.text.components(separatedBy: "<tr data-device=").count == 2)
            #expect(drilled.text.contains("rt-kutaisi"))
            #expect(html.contains("/api/v1/reports/availability?from="))
            #expect(html.contains("part=outages"))
            #expect(html.contains("zone=UTC"))

            let kakheti = try await viewer.get("/reports?\(range)&by=region&group=Kakheti", headers: cookie)
            #expect(kakheti.text.contains("Outages of Kakheti"))
            #expect(kakheti.text.contains("No outage in the range."))

            #expect(try await viewer.get("/reports?\(range)&by=site", headers: cookie).status == 400)
            #expect(try await viewer.get("/reports?from=2026-13-40&to=2026-12-01", headers: cookie).status == 400)
            #expect(try await viewer.get("/reports?from=2026-12-01&to=2026-11-01", headers: cookie).status == 400)

            let manager = try await AlertsPageTests.session(
                http, "kate", .regionalManager, regions: ["Kakheti"], on: db)
            let scoped = try await manager.get("/reports?\(range)&by=branch")
            #expect(scoped.status == 200)
            #expect(scoped.text.components(separatedBy: "<tr data-key=").count == 2)
            #expect(scoped.text.contains("Telavi"))
            #expect(!scoped.text.contains("Kutaisi"))
        }
    }
}
