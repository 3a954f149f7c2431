import ArgumentParser
import Foundation
import Logging
import OutpostAgent
import OutpostCore
import OutpostProbes

/// `outpost-agent probe ping DEVICE`: one ping round as the agent runs it, and the row it stores.
struct ProbePingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ping",
        abstract: "Ping a device for one round and print the ping_results row the agent would store.")

    @OptionGroup var flags: AgentFlags

    @Argument(help: "A configured device (id, name or address) or an address literal.")
    var device: String

    @Option(help: "Echo requests in the round (default: the agent's configured ping packets, else 3).")
    var count: Int?

    @Option(help: "Milliseconds each request waits for its reply (1...60000).")
    var timeout: Int = 1_000

    @Flag(help: "Print the row as JSON.")
    var json = false

    func run() async throws {
        let settings = try flags.settings()
        let cached = try CachedDevices(stateDirectory: settings.stateDirectory)
        let configured = try cached.device(named: device)
        let target: PingTarget
        do {
            target = try PingTarget(
                deviceID: DeviceID(configured?.id ?? UUID()), address: configured?.address ?? device)
        } catch {
            throw ValidationError("\(device): not a device of this agent's configuration, and \(error)")
        }
        let packets = count ?? cached.configuration?.pingPackets ?? 3
        // Checked before the round's length is computed from it: `packets - 1` must not overflow.
        guard PingConfiguration.packetsPerRoundRange.contains(packets) else {
            throw ValidationError("--count must lie in \(PingConfiguration.packetsPerRoundRange)")
        }
        let round: PingConfiguration
        do {
            let timeout = Duration.milliseconds(timeout)
            round = try PingConfiguration(
                packetsPerRound: packets, timeout: timeout,
                roundInterval: .seconds(1) * (packets - 1) + timeout)
        } catch {
            throw ValidationError("\(error)")
        }
        var logger = Logger(label: "outpost.agent.probe")
        logger.logLevel = .warning
        let engine = try ICMPEngine(logger: logger)
        let result = await engine.round(target: target, configuration: round)
        await engine.shutdown()
        let row = PingRow(result, device: configured)
        print(json ? try row.json() : row.table())
        if !result.isReachable { throw ExitCode(1) }
    }
}

/// A round as `ping_results` stores it, for printing.
private struct PingRow {
    let result: PingRoundResult
    let device: AgentConfiguration.Device?

    init(_ result: PingRoundResult, device: AgentConfiguration.Device?) {
        self.result = result
        self.device = device
    }

    func table() -> String {
        let rtts = [
            ("min", result.minRTT), ("avg", result.avgRTT), ("max", result.maxRTT), ("stddev", result.stddevRTT),
        ]
        let rtt =
            result.isReachable
            ? rtts.map { "\($0.0) \(Self.milliseconds($0.1))" }.joined(separator: ", ") : "none (no reply)"
        return """
            device_id             \(device.map { "\($0.id.uuidString.lowercased()) (\($0.name))" } ?? "none: not a configured device")
            device_ip             \(result.deviceIP)
            timestamp             \(result.timestamp.formatted(.iso8601))
            packets_sent          \(result.packetsSent)
            packets_received      \(result.packetsReceived)
            packet_loss_percent   \(Self.decimal(result.lossPercent))
            rtt                   \(rtt)
            is_alive              \(result.isReachable)
            """
    }

    func json() throws -> String {
        var fields: [String: Any] = [
            "device_ip": result.deviceIP, "timestamp": result.timestamp.formatted(.iso8601),
            "packets_sent": result.packetsSent, "packets_received": result.packetsReceived,
            "packet_loss_percent": result.lossPercent, "is_alive": result.isReachable,
        ]
        fields["device_id"] = device?.id.uuidString.lowercased() ?? NSNull()
        fields["min_rtt_ms"] = result.minRTT ?? NSNull()
        fields["avg_rtt_ms"] = result.avgRTT ?? NSNull()
        fields["max_rtt_ms"] = result.maxRTT ?? NSNull()
        fields["stddev_rtt_ms"] = result.stddevRTT ?? NSNull()
        let data = try JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    private static func milliseconds(_ value: Double?) -> String {
        value.map { "\(decimal($0)) ms" } ?? "-"
    }

    private static func decimal(_ value: Double) -> String {
        value.formatted(
            .number.precision(.fractionLength(3)).grouping(.never).locale(Locale(identifier: "en_US_POSIX")))
    }
}
