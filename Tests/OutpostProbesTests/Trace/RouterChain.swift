import Foundation
import OutpostTestSupport

@testable import OutpostProbes

/// A ``RouterChain`` with a TUN device behind its destination that answers IPv4 echo requests
/// after an injected delay and loss (``TunEchoResponder``, since this kernel has no netem): the
/// TUN target is hop 5.
final class ImpairedChain: Sendable {
    let chain: RouterChain
    let responder: TunEchoResponder

    /// An address answered by the TUN responder.
    var tunTarget: String { "\(chain.extraPrefix ?? "0.0.0").7" }

    init(impairment: Impairment) throws {
        chain = try RouterChain(extraPrefix: true)
        do {
            responder = try TunEchoResponder(interfaceName: "opt\(TestNetwork.uniqueTag())") { _ in impairment }
        } catch {
            chain.close()
            throw error
        }
        do {
            try chain.attach(responder.interfaceName)
        } catch {
            chain.close()
            throw error
        }
    }

    /// Stops the responder and deletes the namespaces.
    func close() async {
        await responder.stop()
        chain.close()
    }

    /// Runs `body` with a new chain, closed afterwards also when `body` throws.
    static func with(impairment: Impairment, _ body: (ImpairedChain) async throws -> Void) async throws {
        let chain = try ImpairedChain(impairment: impairment)
        do {
            try await chain.chain.warmUp()
            try await body(chain)
        } catch {
            await chain.close()
            throw error
        }
        await chain.close()
    }
}

extension RouterChain {
    /// Runs `body` with a new chain, closed afterwards also when `body` throws.
    static func with(_ body: (RouterChain) async throws -> Void) async throws {
        let chain = try RouterChain()
        do {
            try await chain.warmUp()
            try await body(chain)
        } catch {
            chain.close()
            throw error
        }
        chain.close()
    }

    /// A ping engine whose sockets live in the tracer's namespace.
    func pingEngine() async throws -> ICMPEngine {
        try await tracer.run { try ICMPTest.engine() }
    }
}
