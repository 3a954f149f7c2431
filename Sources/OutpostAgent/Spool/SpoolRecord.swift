import Foundation
import OutpostCore

/// One spooled batch as the replay hands it out: the payload is opaque to the spool
/// (the serialized, signed batch); the other fields are the spool's own framing.
public struct SpoolRecord: Sendable, Equatable {
    /// The batch sequence number the spool assigned at append.
    public let sequence: BatchSequence
    /// How many results the batch carries (what is counted when it is dropped).
    public let resultCount: UInt32
    /// When the batch was appended (UTC, millisecond precision).
    public let createdAt: Date
    /// The batch bytes exactly as appended.
    public let payload: [UInt8]
}
