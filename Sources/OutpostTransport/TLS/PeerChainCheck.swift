import NIOCore
import NIOSSL
import X509

/// How a handshake judges the peer's certificate chain, in place of NIOSSL's own verification
/// (which knows neither the Outpost revocation list nor CA pinning).
///
/// Everything the peer sent is untrusted input: the chain is parsed first, and a chain with a
/// certificate that does not parse fails the handshake without reaching ``verify``.
public struct PeerChainCheck: Sendable {
    /// Called, before the handshake fails, when a certificate of the peer does not parse.
    let unparsable: @Sendable () -> Void
    /// Judges the parsed chain, peer certificate first: `true` lets the handshake go on.
    let verify: @Sendable ([Certificate]) async -> Bool

    /// - Parameters:
    ///   - unparsable: told when a certificate of the peer does not parse; the handshake fails.
    ///   - verify: judges the parsed chain, peer certificate first; `true` accepts it.
    public init(unparsable: @escaping @Sendable () -> Void, verify: @escaping @Sendable ([Certificate]) async -> Bool) {
        self.unparsable = unparsable
        self.verify = verify
    }

    /// The check as NIOSSL's custom verification callback.
    func callback() -> NIOSSLCustomVerificationCallbackWithMetadata {
        { certificates, promise in
            guard let chain = try? certificates.map({ try Certificate(derEncoded: $0.toDERBytes()) }) else {
                unparsable()
                promise.succeed(.failed)
                return
            }
            Task {
                promise.succeed(await verify(chain) ? .certificateVerified(VerificationMetadata(nil)) : .failed)
            }
        }
    }
}
