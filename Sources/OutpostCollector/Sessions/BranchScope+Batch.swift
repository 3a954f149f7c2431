import OutpostStore
import OutpostWire

extension BranchScope {
    /// What scoping removed from a batch.
    struct Refused {
        var pings = 0
        var samples = 0
        var total: Int { pings + samples }
    }

    /// The rows of `batch` that belong to the branch, as an ingest batch carrying `payload`,
    /// and what was refused.
    func admitted(_ batch: Batch, payload: [UInt8]) -> (IngestBatch, Refused) {
        let pings = batch.pingResults.filter(admits)
        let samples = batch.itemSamples.filter(admits)
        let refused = Refused(
            pings: batch.pingResults.count - pings.count, samples: batch.itemSamples.count - samples.count)
        return (
            IngestBatch(
                agentID: batch.agentID, sequence: batch.sequence, pings: pings, samples: samples, payload: payload),
            refused
        )
    }
}
