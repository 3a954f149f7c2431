/// The device's last traceroute or MTR, as the device page shows it: when, why, how it ended,
/// and one line per hop, so the operator sees which hop stopped answering.
public struct DevicePath: Sendable {
    /// One hop of the path.
    public struct Hop: Sendable {
        public let number: Int
        /// Responder address, or `*` for a silent hop.
        public let address: String
        /// The responder's reverse DNS name, when the trace asked for names and found one.
        public let hostname: String?
        public let loss: String
        public let average: String
        public let best: String
        public let worst: String
        /// `time exceeded`, `echo reply`, `net unreachable`, … (empty when silent).
        public let reply: String
        public let silent: Bool

        public init(
            number: Int, address: String?, hostname: String? = nil, loss: String, average: String, best: String,
            worst: String, reply: String
        ) {
            self.number = number
            self.address = address ?? "*"
            self.hostname = hostname
            self.loss = loss
            self.average = average
            self.best = best
            self.worst = worst
            self.reply = reply
            self.silent = address == nil
        }
    }

    /// `traceroute` or `mtr`.
    public let kind: String
    /// When it ended, in the operator's zone.
    public let completed: String
    /// `down`, `manual`, `api`, `schedule`, `alert`.
    public let trigger: String
    /// How the trace ended (`reached`, `silent hops`, …) or why it failed.
    public let ending: String
    public let pathChanged: Bool
    public let hops: [Hop]

    public init(
        kind: String, completed: String, trigger: String, ending: String, pathChanged: Bool, hops: [Hop]
    ) {
        self.kind = kind
        self.completed = completed
        self.trigger = trigger
        self.ending = ending
        self.pathChanged = pathChanged
        self.hops = hops
    }
}
