import Foundation
import Synchronization

/// Progress of a long import: a bar redrawn in place on a terminal, plain lines otherwise
/// (one per table and every 10 %), always on standard error so the report stays clean.
public final class LegacyProgress: Sendable {
    private struct State {
        var label = ""
        var total = 0
        var done = 0
        var lastPercent = -1
        var started = Date()
    }

    private let state = Mutex(State())
    private let terminal: Bool
    private let quiet: Bool

    /// - Parameters:
    ///   - terminal: draw a bar (standard error is a terminal) rather than lines.
    ///   - quiet: print nothing (tests).
    public init(terminal: Bool = isatty(2) == 1, quiet: Bool = false) {
        self.terminal = terminal
        self.quiet = quiet
    }

    func start(_ label: String, total: Int) {
        state.withLock { $0 = State(label: label, total: total, done: 0, lastPercent: -1, started: Date()) }
        if !terminal { write("\(label): \(total) rows\n") }
    }

    func advance(to done: Int) {
        let line: String? = state.withLock { state in
            state.done = done
            let percent = state.total == 0 ? 100 : min(100, done * 100 / state.total)
            if terminal {
                guard percent != state.lastPercent else { return nil }
                state.lastPercent = percent
                let filled = percent * 30 / 100
                let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: 30 - filled)
                return "\r\(state.label) [\(bar)] \(percent)% \(done)/\(state.total)"
            }
            guard percent / 10 != state.lastPercent / 10 || state.lastPercent < 0 else { return nil }
            state.lastPercent = percent
            return "\(state.label): \(done)/\(state.total) (\(percent)%)\n"
        }
        if let line { write(line) }
    }

    func finish() {
        let line = state.withLock { state in
            let seconds = Date().timeIntervalSince(state.started)
            let rate = seconds > 0 ? Int(Double(state.done) / seconds) : state.done
            return
                "\(terminal ? "\r" : "")\(state.label): \(state.done) rows in \(String(format: "%.1f", seconds)) s (\(rate) rows/s)\n"
        }
        write(line)
    }

    private func write(_ text: String) {
        guard !quiet else { return }
        FileHandle.standardError.write(Data(text.utf8))
    }
}
