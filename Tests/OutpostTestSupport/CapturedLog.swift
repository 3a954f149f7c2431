import Logging
import Synchronization

/// A logger whose entries (level, message, metadata) a test reads back.
public final class CapturedLog: Sendable {
    /// One logged event.
    public struct Entry: Sendable {
        public let level: Logger.Level
        public let message: String
        /// The logger's and the event's metadata, as logged.
        public let loggedMetadata: Logger.Metadata

        /// The metadata's values as text.
        public var metadata: [String: String] { loggedMetadata.mapValues { "\($0)" } }
    }

    private let store = Mutex<[Entry]>([])

    public init() {}

    /// Every entry written through loggers it made, oldest first.
    public var entries: [Entry] { store.withLock { $0 } }

    /// A logger at trace level writing into this capture.
    public func logger(label: String = "test.captured") -> Logger {
        var logger = Logger(label: label) { _ in Handler(log: self) }
        logger.logLevel = .trace
        return logger
    }

    fileprivate func append(_ entry: Entry) {
        store.withLock { $0.append(entry) }
    }

    private struct Handler: LogHandler {
        let log: CapturedLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }
            log.append(Entry(level: event.level, message: "\(event.message)", loggedMetadata: merged))
        }
    }
}
