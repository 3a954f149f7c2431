import Crypto
import Foundation

/// Keys shared by the tests, generated once per test process. `P256.Signing.PrivateKey` is not
/// `Sendable`, so the raw scalars are kept and a key value is rebuilt on each use.
enum TestKeys {
    private static let agentScalar = P256.Signing.PrivateKey().rawRepresentation
    private static let otherScalar = P256.Signing.PrivateKey().rawRepresentation

    static var agent: P256.Signing.PrivateKey { try! P256.Signing.PrivateKey(rawRepresentation: agentScalar) }
    static var other: P256.Signing.PrivateKey { try! P256.Signing.PrivateKey(rawRepresentation: otherScalar) }
}
