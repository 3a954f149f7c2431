import Foundation
import Synchronization

/// Branches whose configuration changed since the last dispatch, gathered during the
/// coalescing window; "all" when notifications may have been missed.
final class PendingConfigChanges: Sendable {
    /// What one dispatch has to signal.
    enum Batch: Equatable {
        case branches(Set<UUID>)
        case all
    }

    private let state = Mutex<(branches: Set<UUID>, all: Bool)>(([], false))
    private let wake: AsyncStream<Void>.Continuation
    /// Yields when changes are pending (at most one buffered signal).
    let wakes: AsyncStream<Void>

    init() {
        (wakes, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    func add(branch: UUID) {
        state.withLock { _ = $0.branches.insert(branch) }
        wake.yield()
    }

    func addAll() {
        state.withLock { $0.all = true }
        wake.yield()
    }

    /// Takes what is pending, leaving nothing; `nil` when nothing is.
    func take() -> Batch? {
        state.withLock { state in
            defer { state = ([], false) }
            if state.all { return .all }
            return state.branches.isEmpty ? nil : .branches(state.branches)
        }
    }
}
