import OutpostTestSupport
import PostgresNIO
import Testing

@testable import OutpostCollector

@Suite("Commit deadline timer", .tags(.postgres), .needsPostgres)
struct CommitDeadlineTimerTests {
    /// A commit that finishes first must not leave its deadline's timer asleep for the whole
    /// timeout: at a few commits a second, a 30 s deadline would keep a hundred tasks and their
    /// captures alive. The timer holds the logger it was given, so the log behind it is
    /// released only once the timer has ended.
    @Test("a commit that finishes first ends its deadline's timer at once")
    func timerEndsWithTheCommit() async throws {
        weak var released: CapturedLog?
        do {
            let log = CapturedLog()
            released = log
            let logger = log.logger()
            let (answer, used) = try await CommitDeadline.run(
                reusing: nil, timeout: .seconds(3_600), database: try TestDatabase.serverURL(), logger: logger
            ) { connection in
                try await connection.query("SELECT 42", logger: logger).collect().first?.decode(Int.self) ?? 0
            }
            #expect(answer == 42)
            try await used.connection.close()
        }
        let gone = try await eventually(within: .seconds(10)) {
            released == nil
        } until: {
            $0
        }
        #expect(gone, "the deadline's timer still holds what it captured after the commit returned")
    }
}
