import Testing

extension Tag {
    /// Uses the shared PostgreSQL cluster or a private one.
    @Tag public static var postgres: Self
    /// Runs as root (mounts, raw sockets, privileges).
    @Tag public static var root: Self
    /// Creates network namespaces and veth pairs.
    @Tag public static var netns: Self
    /// Talks to a real snmpd or snmpsim.
    @Tag public static var snmp: Self
    /// Measures time or reads the host's interface table: `scripts/test` runs these suites
    /// after the others, one suite at a time, so parallel tests add no scheduling delay to what
    /// they measure and no veth interface appears between two walks.
    @Tag public static var timing: Self
}
