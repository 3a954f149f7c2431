import Foundation
import OutpostStore
import OutpostTestSupport
import PostgresNIO

/// Shared setup of the maintenance window tests.
enum MaintenanceFixture {
    static let store = MaintenanceWindowStore(logger: TestDatabase.logger)
    static let actor = AuditActor(name: "cli:test", source: "cli test")

    /// `text` (ISO 8601, UTC) as a date.
    static func time(_ text: String) -> Date {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        guard let date = formatter.date(from: text) else { preconditionFailure("not a time: \(text)") }
        return date
    }

    /// Two branches in two regions and devices: `tbilisi` (Tbilisi) holds `t1` and `t2`,
    /// `batumi` (Adjara) holds `b1`; `lone` has no branch.
    struct Fleet {
        let t1: UUID
        let t2: UUID
        let b1: UUID
        let lone: UUID
    }

    static func fleet(_ db: PostgresConnection) async throws -> Fleet {
        let tbilisi = try await Fixture.branch("tbilisi", on: db)
        let batumi = try await Fixture.branch("batumi", on: db)
        try await db.execute("UPDATE branches SET region = 'Tbilisi' WHERE name = 'tbilisi'")
        try await db.execute("UPDATE branches SET region = 'Adjara' WHERE name = 'batumi'")
        return Fleet(
            t1: try await Fixture.device("t1", ip: "10.1.0.1", branch: tbilisi, on: db),
            t2: try await Fixture.device("t2", ip: "10.1.0.2", branch: tbilisi, on: db),
            b1: try await Fixture.device("b1", ip: "10.2.0.1", branch: batumi, on: db),
            lone: try await Fixture.device("lone", ip: "10.3.0.1", on: db))
    }
}
