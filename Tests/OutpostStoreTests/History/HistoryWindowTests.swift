import Foundation
import Testing

@testable import OutpostStore

@Suite("History ranges")
struct HistoryWindowTests {
    static let to = Date(timeIntervalSince1970: 1_795_168_800)
    /// Span, resolution and bucket seconds expected.
    static let plans: [(TimeInterval, HistoryResolution, Int)] = [
        (3_600, .raw, 5), (3 * 3_600, .raw, 10), (86_400, .minute, 60), (2 * 86_400, .minute, 120),
        (7 * 86_400, .hour, 3_600), (30 * 86_400, .hour, 3_600), (62 * 86_400, .hour, 3_600),
        (730 * 86_400, .hour, 43_200), (60, .raw, 1),
    ]
    static let hostile: [(TimeInterval, String)] = [
        (0, "from"), (-3_600, "from"), (100 * 365 * 86_400, "from"), (732 * 86_400, "to"),
    ]

    @Test(
        "the finest resolution that keeps a chart within 1,500 points",
        arguments: Self.plans)
    func resolution(span: TimeInterval, resolution: HistoryResolution, bucket: Int) throws {
        let window = try HistoryWindow(from: Self.to.addingTimeInterval(-span), to: Self.to)
        #expect(window.resolution == resolution)
        #expect(window.bucketSeconds == bucket)
        #expect(span / Double(window.bucketSeconds) <= Double(HistoryWindow.maximumPoints))
    }

    @Test(
        "hostile ranges are refused naming the field",
        arguments: Self.hostile)
    func refused(span: TimeInterval, field: String) {
        #expect {
            try HistoryWindow(from: Self.to.addingTimeInterval(-span), to: Self.to)
        } throws: { error in
            (error as? InputError)?.field == field
        }
    }

    @Test("times before 2000 or after 2199 are refused")
    func outOfEra() {
        #expect(throws: InputError.self) {
            try HistoryWindow(from: Date(timeIntervalSince1970: 0), to: Date(timeIntervalSince1970: 3_600))
        }
        #expect(throws: InputError.self) {
            try HistoryWindow(from: Date(timeIntervalSince1970: 8e9), to: Date(timeIntervalSince1970: 8e9 + 60))
        }
    }
}
