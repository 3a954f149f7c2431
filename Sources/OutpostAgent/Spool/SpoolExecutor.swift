import Dispatch

/// The serial executor of a ``Spool``: a private dispatch queue, so that the blocking
/// `pwrite`/`fdatasync`/`pread` calls of the spool run on a dispatch worker thread and never
/// stall Swift's cooperative thread pool (which the probes and the uplink need).
final class SpoolExecutor: SerialExecutor {
    private let queue = DispatchQueue(label: "outpost.spool")

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedSerialExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}
