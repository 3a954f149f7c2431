import Foundation
import HummingbirdBcrypt
import NIOPosix
import Synchronization

/// Operators' passwords: bcrypt (salted, cost 12 by default), computed on NIO's blocking thread
/// pool so that a login never stalls an event loop.
public struct PasswordHasher: Sendable {
    /// The shortest password accepted.
    public static let minimumLength = 12
    /// bcrypt reads at most 72 bytes; longer passwords are refused rather than silently cut.
    public static let maximumLength = 72

    /// A password that breaks the length rules.
    public struct Refused: Error, CustomStringConvertible {
        public let description: String
    }

    private let cost: UInt8

    /// - Parameter cost: bcrypt's cost (log2 of its rounds); 12 takes about 0.25 s per hash.
    public init(cost: UInt8 = 12) {
        self.cost = cost
    }

    /// Checks `password` against the length rules.
    public static func validate(_ password: String) throws {
        let bytes = password.utf8.count
        guard bytes >= minimumLength else {
            throw Refused(description: "password: at least \(minimumLength) characters")
        }
        guard bytes <= maximumLength else {
            throw Refused(description: "password: at most \(maximumLength) bytes (bcrypt reads no more)")
        }
    }

    /// The bcrypt hash of `password` (`$2b$…`), after ``validate(_:)``.
    public func hash(_ password: String) async throws -> String {
        try Self.validate(password)
        let cost = self.cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    /// Whether `password` matches `hash`; false for a hash that is not bcrypt. Without a hash
    /// (an unknown user), `password` is checked against a decoy of the same cost, so that the
    /// answer takes as long whether the user exists or not.
    public func verify(_ password: String, hash: String?) async throws -> Bool {
        guard password.utf8.count <= Self.maximumLength else { return false }
        guard let hash else {
            let cost = self.cost
            _ = try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: Self.decoy(cost: cost)) }
            return false
        }
        guard hash.hasPrefix("$2") else { return false }
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

    private static let decoys = Mutex<[UInt8: String]>([:])

    /// A hash of a random password at `cost`, made once per cost.
    private static func decoy(cost: UInt8) -> String {
        if let hash = decoys.withLock({ $0[cost] }) { return hash }
        let hash = Bcrypt.hash(UUID().uuidString, cost: cost)
        decoys.withLock { $0[cost] = hash }
        return hash
    }
}
