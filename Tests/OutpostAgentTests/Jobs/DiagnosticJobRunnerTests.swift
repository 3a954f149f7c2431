import Foundation
import Logging
import OutpostCore
import OutpostProbes
import OutpostTestSupport
import OutpostWire
import Testing

@testable import OutpostAgent

/// The agent's diagnostic job runner with its real trace engine (raw sockets): a traceroute of
/// the loopback address with `resolveNames` reports the hop's name, offline (/etc/hosts).
@Suite("Agent: diagnostic jobs resolve hop names", .tags(.root), .needsRoot)
struct DiagnosticJobRunnerTests {
    @Test("a traceroute of 127.0.0.1 asking for names reports localhost; without the flag no name")
    func loopbackTraceResolves() async throws {
        let engine = try TraceEngine()
        let runner = DiagnosticJobRunner(engine: engine, logger: Logger(label: "outpost.test.diagnostics"))
        var hostnames: [Bool: String?] = [:]
        for resolve in [true, false] {
            let (messages, received) = AsyncStream.makeStream(of: Message.self)
            let parameters = DiagnosticJobParameters(
                target: "127.0.0.1", maxHops: 4, probesPerHop: 1, timeoutMilliseconds: 1_000, resolveNames: resolve)
            let id = UUID()
            await runner.start(Job(id: id, kind: .traceroute, parameters: try parameters.encoded())) { message in
                received.yield(message)
            }
            var result: JobResult?
            for await message in messages {
                if case .jobResult(let ended) = message {
                    result = ended
                    break
                }
            }
            let ended = try #require(result)
            #expect(ended.jobID == id && ended.outcome == .succeeded, "\(ended.detail ?? "-")")
            let report = try DiagnosticReport(decoding: ended.payload).validated()
            #expect(report.hops.first?.responder == "127.0.0.1")
            hostnames[resolve] = report.hops.first?.hostname
        }
        await engine.shutdown()
        #expect(hostnames[true] == "localhost")
        #expect(hostnames[false] == .some(nil))
    }
}
