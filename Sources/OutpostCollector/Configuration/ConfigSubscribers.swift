import Foundation
import Synchronization

/// The agent sessions of this collector that want to hear when their branch's configuration
/// may have changed, by branch.
///
/// A session subscribes before it computes its first snapshot, so no change slips between the
/// two; each subscription buffers at most one pending signal, so a burst of changes costs the
/// session one recomputation.
public final class ConfigSubscribers: Sendable {
    /// One session's subscription: a signal stream and the key to cancel it.
    struct Subscription: Sendable {
        fileprivate let id: UInt64
        fileprivate let branch: UUID
        /// Yields when the branch's configuration may have changed; ends at ``ConfigSubscribers/unsubscribe(_:)``.
        let changes: AsyncStream<Void>
    }

    private struct State {
        var nextID: UInt64 = 0
        var byBranch: [UUID: [UInt64: AsyncStream<Void>.Continuation]] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    func subscribe(branch: UUID) -> Subscription {
        let (changes, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let id = state.withLock { state in
            state.nextID += 1
            state.byBranch[branch, default: [:]][state.nextID] = continuation
            return state.nextID
        }
        return Subscription(id: id, branch: branch, changes: changes)
    }

    /// Ends the subscription's stream; calling it again does nothing.
    func unsubscribe(_ subscription: Subscription) {
        let continuation = state.withLock { state in
            let removed = state.byBranch[subscription.branch]?.removeValue(forKey: subscription.id)
            if state.byBranch[subscription.branch]?.isEmpty == true { state.byBranch[subscription.branch] = nil }
            return removed
        }
        continuation?.finish()
    }

    /// Signals the sessions of `branches`; returns how many.
    @discardableResult
    public func notify(branches: Set<UUID>) -> Int {
        let targets = state.withLock { state in branches.flatMap { state.byBranch[$0]?.values.map { $0 } ?? [] } }
        for continuation in targets { continuation.yield() }
        return targets.count
    }

    /// Signals every session (after notifications may have been missed); returns how many.
    @discardableResult
    public func notifyAll() -> Int {
        let targets = state.withLock { state in state.byBranch.values.flatMap { $0.values } }
        for continuation in targets { continuation.yield() }
        return targets.count
    }
}
