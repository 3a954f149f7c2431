import ArgumentParser
import Foundation
import OutpostAgent
import OutpostCore
import OutpostProbes

/// `outpost-agent probe snmp get|walk DEVICE OID…`: the agent's SNMP engine, like `snmpget` and
/// `snmpbulkwalk`, with a configured device's cached credential.
struct ProbeSNMPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snmp",
        abstract: "Read OIDs of a device with the agent's SNMP engine, as the agent would poll them.",
        discussion: """
            A configured device is read with its cached credential. For an address literal, or to
            override, give --snmp-version with the secrets in the environment (never on the command
            line): OUTPOST_SNMP_COMMUNITY for v1 and v2c; --user with OUTPOST_SNMP_AUTH_PASSPHRASE
            and OUTPOST_SNMP_PRIV_PASSPHRASE for v3. An OID is numeric, or the name of one of the
            configured device's monitoring items.
            """)

    enum Operation: String, ExpressibleByArgument, CaseIterable {
        case get, walk
    }

    @OptionGroup var flags: AgentFlags

    @Argument(help: "get (snmpget) or walk (snmpbulkwalk; snmpwalk for v1).")
    var operation: Operation

    @Argument(help: "A configured device (id, name or address) or an address literal.")
    var device: String

    @Argument(help: "Numeric OIDs, or names of the device's items (walk: one).")
    var oids: [String]

    @Option(name: .customLong("snmp-version"), help: "1, 2c or 3 (default: the configured device's credential).")
    var version: SNMPCredential.Version?

    @Option(help: "SNMPv3 user name.")
    var user: String?

    @Option(name: .customLong("auth-protocol"), help: "SNMPv3 authentication protocol (MD5, SHA, SHA-224 ... SHA-512).")
    var authProtocol: String?

    @Option(name: .customLong("priv-protocol"), help: "SNMPv3 privacy protocol (DES or AES).")
    var privProtocol: String?

    @Option(help: "UDP port of the SNMP agent.")
    var port: UInt16 = 161

    @Option(help: "Milliseconds per attempt (10...60000).")
    var timeout: Int = 1_000

    @Option(help: "Attempts after a timeout (0...10).")
    var retries: Int = 1

    func validate() throws {
        guard !oids.isEmpty else { throw ValidationError("give at least one OID") }
        guard operation == .get || oids.count == 1 else { throw ValidationError("walk takes one OID") }
    }

    func run() async throws {
        let settings = try flags.settings()
        let configured = try CachedDevices(stateDirectory: settings.stateDirectory).device(named: device)
        let security: SNMPSecurity
        do {
            security = try SNMPSecurity(try credential(configured: configured))
        } catch let error as SNMPError {
            throw ValidationError("\(error)")
        }
        let target = SNMPTarget(
            host: configured?.address ?? device, port: port, security: security, timeout: .milliseconds(timeout),
            retries: retries)
        let numeric = try oids.map { try Self.numericOID($0, items: configured?.items ?? []) }
        let engine = try SNMPEngine()
        let outcome: Result<[VarBind], SNMPError>
        switch operation {
        case .get:
            outcome = await engine.get(numeric, from: target)
        case .walk:
            do throws(SNMPError) {
                outcome = .success(try await engine.walk(numeric[0], from: target))
            } catch {
                outcome = .failure(error)
            }
        }
        await engine.shutdown()
        switch outcome {
        case .success(let varBinds):
            let names = Dictionary((configured?.items ?? []).map { ($0.oid, $0.name) }, uniquingKeysWith: { a, _ in a })
            for varBind in varBinds {
                print(names[varBind.oid].map { "\(varBind)    (item \($0))" } ?? "\(varBind)")
            }
        case .failure(let error):
            // What the agent would store for the item: no value, this reason as its error.
            print("error: \(error)")
            throw ExitCode(1)
        }
    }

    /// The credential to read with: the flags' version with secrets from the environment, else
    /// the configured device's.
    private func credential(configured: AgentConfiguration.Device?) throws -> SNMPCredential {
        let environment = ProcessInfo.processInfo.environment
        guard let version else {
            guard let cached = configured?.snmp else {
                throw ValidationError(
                    "\(device): no cached SNMP credential (not a device of this agent's configuration, or it has none); give --snmp-version and the secrets in the environment"
                )
            }
            return cached
        }
        switch version {
        case .v1, .v2c:
            guard let community = environment["OUTPOST_SNMP_COMMUNITY"] else {
                throw ValidationError("SNMP \(version.rawValue): set OUTPOST_SNMP_COMMUNITY to the community")
            }
            return .community(community, version: version)
        case .v3:
            guard let user else { throw ValidationError("SNMPv3: give --user") }
            return SNMPCredential(
                version: .v3, user: user, authProtocol: authProtocol,
                authKey: environment["OUTPOST_SNMP_AUTH_PASSPHRASE"],
                privProtocol: privProtocol, privKey: environment["OUTPOST_SNMP_PRIV_PASSPHRASE"])
        }
    }

    /// `text` as a numeric OID: itself, or the OID of the configured item of that name.
    private static func numericOID(_ text: String, items: [AgentConfiguration.Item]) throws -> String {
        if text.first?.isNumber == true || text.first == "." { return text }
        guard let item = items.first(where: { $0.name == text }) else {
            throw ValidationError("\(text): not a numeric OID nor the name of one of the device's items")
        }
        return item.oid
    }
}

extension SNMPCredential.Version: ExpressibleByArgument {
    public init?(argument: String) {
        switch argument.lowercased() {
        case "1", "v1": self = .v1
        case "2c", "v2c": self = .v2c
        case "3", "v3": self = .v3
        default: return nil
        }
    }
}
