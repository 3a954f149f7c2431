import Logging
import OutpostAgent

// spool-stress: appends to a spool until killed, printing each sequence after `append` returned.
//
//   spool-stress <directory> <every|group> <seed>
//
// Output lines (each one write(2), atomic on a pipe):
//   acked <sequence> <seed> <index>   the batch is appended (durable per the sync policy)
//   ack <sequence>                    acknowledge(through:) returned for this sequence
// The crash tests kill this process with SIGKILL at random moments and check the spool.
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The configuration the crash tests open the same directory with.
func stressConfiguration(policy: String) -> SpoolConfiguration {
    var configuration = SpoolConfiguration()
    configuration.segmentBytes = 256 << 10
    configuration.maxRecordBytes = 64 << 10
    configuration.maxBytes = 1 << 30
    configuration.syncPolicy = policy == "group" ? .groupCommit(interval: .milliseconds(10)) : .everyBatch
    return configuration
}

func emit(_ line: String, to descriptor: Int32 = 1) {
    let bytes = Array((line + "\n").utf8)
    _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
}

let arguments = CommandLine.arguments
guard arguments.count == 4, let seed = UInt64(arguments[3]), ["every", "group"].contains(arguments[2]) else {
    emit("usage: spool-stress <directory> <every|group> <seed>", to: 2)
    exit(64)
}

let spool = try Spool.open(
    directory: arguments[1], configuration: stressConfiguration(policy: arguments[2]),
    logger: Logger(label: "spool-stress"))
let writers: UInt64 = 3
try await withThrowingTaskGroup(of: Void.self) { group in
    group.addTask { await spool.run() }
    for writer in 0..<writers {
        group.addTask {
            var index = writer
            while true {
                let payload = StressPayload.make(seed: seed, index: index)
                let sequence = try await spool.append(
                    payload: payload, resultCount: StressPayload.resultCount(of: payload))
                emit("acked \(sequence) \(seed) \(index)")
                if index % 40 == writer {
                    let durable = await spool.stats.durableThrough
                    if durable > 20 {
                        try await spool.acknowledge(through: durable - 20)
                        emit("ack \(durable - 20)")
                    }
                }
                index += writers
            }
        }
    }
    try await group.next()
}
