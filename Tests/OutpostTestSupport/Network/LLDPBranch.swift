import Foundation

/// A small branch of network namespaces wired by veth pairs, each running `snmpd` (reachable
/// from the root namespace on its management link) and `lldpd` with its SNMP subagent (AgentX)
/// on that snmpd, sending LLDP every second on its data links only. ``close()`` tears it down;
/// tests call it on every path.
public final class LLDPBranch {
    /// One namespace: a router, switch or host.
    public struct Node {
        public let name: String
        public let namespace: NetworkNamespace
        public let snmpd: SNMPDaemon
        public let lldpd: ChildProcess
        /// The address snmpd listens on and lldpd advertises.
        public var managementAddress: String { "\(namespace.linkPrefix).2" }
    }

    /// A data link: the interface names on each end.
    public struct Link: Hashable {
        public let from: String
        public let fromPort: String
        public let to: String
        public let toPort: String
    }

    public private(set) var nodes: [Node] = []
    public let links: [Link]
    private let directory: TemporaryDirectory

    /// Creates the namespaces `names`, the data links between the pairs `wiring` (indices into
    /// `names`), and starts the daemons; returns once every snmpd answers.
    public init(names: [String], wiring: [(Int, Int)]) async throws {
        directory = try TemporaryDirectory("lldp")
        let tag = TestNetwork.uniqueTag()
        var namespaces: [NetworkNamespace] = []
        var links: [Link] = []
        do {
            for _ in names { namespaces.append(try NetworkNamespace()) }
            for (index, (a, b)) in wiring.enumerated() {
                let (portA, portB) = ("l\(tag)a\(index)", "l\(tag)b\(index)")
                try BlockingCommand.run("ip", ["link", "add", portA, "type", "veth", "peer", "name", portB])
                try BlockingCommand.run("ip", ["link", "set", portA, "netns", namespaces[a].name])
                try BlockingCommand.run("ip", ["link", "set", portB, "netns", namespaces[b].name])
                try namespaces[a].inside(["link", "set", portA, "up"])
                try namespaces[b].inside(["link", "set", portB, "up"])
                links.append(Link(from: names[a], fromPort: portA, to: names[b], toPort: portB))
            }
            try FileManager.default.createDirectory(atPath: "/run/lldpd", withIntermediateDirectories: true)
            for (name, namespace) in zip(names, namespaces) {
                nodes.append(try await Self.start(name, in: namespace, ports: "l\(tag)*", directory: directory.path))
            }
        } catch {
            self.links = links
            for node in nodes {
                node.lldpd.send(.kill)
                node.snmpd.stop()
            }
            for namespace in namespaces { namespace.close() }
            try? FileManager.default.removeItem(atPath: directory.path)
            throw error
        }
        self.links = links
    }

    private static func start(_ name: String, in namespace: NetworkNamespace, ports: String, directory: String)
        async throws -> Node
    {
        let agentX = "\(directory)/\(name).agentx"
        let snmpd = try await SNMPDaemon(
            host: "\(namespace.linkPrefix).2", port: 161,
            extraConfiguration: "master agentx\nagentXSocket unix:\(agentX)\nagentXPerms 0777 0777",
            launcher: try namespace.launcher())
        let configuration = "\(directory)/\(name).conf"
        try "configure system hostname \(name)\nconfigure lldp tx-interval 1\n".write(
            toFile: configuration, atomically: true, encoding: .utf8)
        let lldpd = ChildProcess(
            try namespace.launcher()[0],
            Array(try namespace.launcher().dropFirst()) + [
                "/usr/sbin/lldpd", "-d", "-x", "-X", agentX, "-u", "\(directory)/\(name).ctl", "-I", ports,
                "-m", "\(namespace.linkPrefix).2", "-O", configuration,
            ], logFile: "\(directory)/\(name).lldpd.log")
        return Node(name: name, namespace: namespace, snmpd: snmpd, lldpd: lldpd)
    }

    /// The node named `name`.
    public func node(_ name: String) -> Node {
        guard let node = nodes.first(where: { $0.name == name }) else { preconditionFailure("no node \(name)") }
        return node
    }

    /// Cuts `link` by deleting its veth pair.
    public func cut(_ link: Link) throws {
        try node(link.from).namespace.inside(["link", "delete", link.fromPort])
    }

    /// Stops the daemons and deletes the namespaces.
    public func close() {
        for node in nodes {
            node.lldpd.send(.kill)
            node.snmpd.stop()
            node.namespace.close()
        }
        nodes = []
        try? FileManager.default.removeItem(atPath: directory.path)
    }
}
