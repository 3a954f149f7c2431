import Foundation
import OutpostCore

/// The spool's small persistent state: what segments alone cannot tell after a restart.
struct SpoolPersistentState: Equatable, Sendable {
    /// Every sequence below this was handed out once; the next one is at least this.
    var sequenceFloor: BatchSequence = 1
    /// Every sequence up to this was acknowledged by the collector.
    var acknowledgedThrough: BatchSequence = 0
    /// Totals dropped since the directory was created.
    var droppedResults: UInt64 = 0
    var droppedBatches: UInt64 = 0
    /// Every sequence up to this was dropped or acknowledged: segments at or below it are
    /// deleted at open without being counted again.
    var droppedThrough: BatchSequence = 0
    /// The part of the totals already reported to the collector.
    var reportedDroppedResults: UInt64 = 0
    var reportedDroppedBatches: UInt64 = 0
}

/// `spool.state`: two fixed 80-byte slots written alternately in place with a generation and a
/// CRC-32C each, so a torn write damages only the slot being written and the other still holds
/// the previous state. Written in place (never a new file) so it still works on a full disk.
struct SpoolStateFile {
    static let name = "spool.state"
    private static let magic: UInt64 = 0x3145_5441_5453_504F  // "OPSTATE1"
    private static let slotSize = 80

    private let file: SpoolFile
    private var generation: UInt64

    /// Opens (or creates) the state file in `directory` and returns it with the newest valid state.
    /// `damaged` is true when the file existed but neither slot was valid.
    static func open(directory: String) throws(SpoolError) -> (
        file: SpoolStateFile, state: SpoolPersistentState, damaged: Bool
    ) {
        let path = directory + "/" + name
        let file = try SpoolFile(path: path, create: true)
        let bytes = try file.read(count: 2 * slotSize, at: 0)
        if let newest = newestSlot(bytes) {
            return (SpoolStateFile(file: file, generation: newest.0), newest.1, false)
        }
        var stateFile = SpoolStateFile(file: file, generation: 0)
        let fresh = SpoolPersistentState()
        // Fill both slots so the file has its final size: later writes never need new blocks.
        try stateFile.write(fresh)
        try stateFile.write(fresh)
        try SpoolDirectory.sync(directory)
        return (stateFile, fresh, !bytes.isEmpty)
    }

    /// The newest valid state of `directory`'s state file, read without creating or repairing
    /// anything (safe while an agent has the spool open); `nil` when there is none.
    static func peek(directory: String) throws(SpoolError) -> SpoolPersistentState? {
        let path = directory + "/" + name
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        return newestSlot(try SpoolFile(path: path, create: false).read(count: 2 * slotSize, at: 0))?.1
    }

    /// The valid slot with the highest generation.
    private static func newestSlot(_ bytes: [UInt8]) -> (UInt64, SpoolPersistentState)? {
        let slots = [0, 1].compactMap { index -> (UInt64, SpoolPersistentState)? in
            let start = index * slotSize
            guard bytes.count >= start + slotSize else { return nil }
            return decode(Array(bytes[start..<start + slotSize]))
        }
        return slots.max(by: { $0.0 < $1.0 })
    }

    private init(file: SpoolFile, generation: UInt64) {
        self.file = file
        self.generation = generation
    }

    /// Durably replaces the state.
    mutating func write(_ state: SpoolPersistentState) throws(SpoolError) {
        let next = generation + 1
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Self.slotSize)
        for value in [
            Self.magic, next, state.sequenceFloor, state.acknowledgedThrough, state.droppedResults,
            state.droppedBatches, state.reportedDroppedResults, state.reportedDroppedBatches,
            state.droppedThrough,
        ] {
            bytes.appendLittleEndian(value)
        }
        bytes.appendLittleEndian(CRC32C.checksum(bytes))
        bytes.appendLittleEndian(UInt32(0))
        try file.write(bytes, at: Int64(next % 2) * Int64(Self.slotSize))
        try file.sync()
        generation = next
    }

    private static func decode(_ slot: [UInt8]) -> (UInt64, SpoolPersistentState)? {
        guard slot.readLittleEndian(UInt64.self, at: 0) == magic,
            slot.readLittleEndian(UInt32.self, at: 72) == CRC32C.checksum(Array(slot[0..<72]))
        else { return nil }
        let field = { (index: Int) in slot.readLittleEndian(UInt64.self, at: 8 * index) }
        let state = SpoolPersistentState(
            sequenceFloor: field(2), acknowledgedThrough: field(3),
            droppedResults: field(4), droppedBatches: field(5),
            droppedThrough: field(8), reportedDroppedResults: field(6), reportedDroppedBatches: field(7)
        )
        return (field(1), state)
    }
}
