import OutpostProbes
import OutpostTestSupport

extension SNMPDaemon {
    /// Runs a net-snmp command-line tool against this agent with v2c, numeric output.
    func tool(_ name: String, _ arguments: [String]) async throws -> [VarBind] {
        let text = try await Command.output(
            "/usr/bin/\(name)", ["-v2c", "-c", community, "-On", "-Ox", "-Oe", address] + arguments)
        return NetSNMPToolOutput.parse(text)
    }
}
