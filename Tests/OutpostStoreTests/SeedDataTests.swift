import OutpostTestSupport
import PostgresNIO
import Testing

@testable import OutpostStore

@Suite("Georgian geography seed", .tags(.postgres), .needsPostgres)
struct SeedDataTests {
    static let regions = [
        "Tbilisi", "Adjara", "Guria", "Imereti", "Kakheti", "Kvemo Kartli", "Mtskheta-Mtianeti",
        "Racha-Lechkhumi and Kvemo Svaneti", "Samegrelo-Zemo Svaneti", "Samtskhe-Javakheti", "Shida Kartli",
    ]

    @Test("every region and 80+ towns, with Georgian names and coordinates inside Georgia")
    func seeded() async throws {
        try await TestDatabase.withMigrated { db, _ in
            let names = try await db.strings("SELECT name_en FROM georgian_regions")
            #expect(Set(names) == Set(Self.regions))
            #expect(try await db.integer("SELECT count(*) FROM georgian_cities") >= 80)
            for region in Self.regions {
                #expect(
                    try await db.integer(
                        "SELECT count(*) FROM georgian_cities c JOIN georgian_regions r ON r.id = c.region_id WHERE r.name_en = '\(region)'"
                    ) >= 1, "\(region) has no town")
            }
            // No row breaks a rule: Georgian script (Mkhedruli, U+10D0–U+10FF) in every name_ka, every
            // town inside Georgia.
            for violations in [
                "SELECT count(*) FROM (SELECT name_ka FROM georgian_regions UNION ALL SELECT name_ka FROM georgian_cities) n WHERE name_ka IS NULL OR name_ka !~ '^[ა-ჰ -]+$'",
                "SELECT count(*) FROM georgian_cities WHERE latitude NOT BETWEEN 41.0 AND 43.6 OR longitude NOT BETWEEN 40.0 AND 46.8",
            ] {
                #expect(try await db.integer(violations) == 0, "\(violations)")
            }
            #expect(
                try await db.strings(
                    "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'georgian_cities'::regclass AND attname IN ('latitude', 'longitude')"
                ) == ["numeric(9,6)", "numeric(9,6)"])
            let batumi = try await db.strings(
                "SELECT c.name_ka || '|' || r.name_en FROM georgian_cities c JOIN georgian_regions r ON r.id = c.region_id WHERE c.name_en = 'Batumi'"
            )
            #expect(batumi == ["ბათუმი|Adjara"])
        }
    }

    @Test("re-running the seed inserts nothing new")
    func idempotentSeed() async throws {
        try await TestDatabase.withMigrated { db, _ in
            let before = try await db.integer(
                "SELECT (SELECT count(*) FROM georgian_regions) * 10000 + (SELECT count(*) FROM georgian_cities)")
            for statement in SQLScript.statements(Migration.seedGeorgianGeography.sql) {
                try await db.query(PostgresQuery(unsafeSQL: statement), logger: TestDatabase.logger)
            }
            #expect(
                try await db.integer(
                    "SELECT (SELECT count(*) FROM georgian_regions) * 10000 + (SELECT count(*) FROM georgian_cities)")
                    == before)
        }
    }
}
