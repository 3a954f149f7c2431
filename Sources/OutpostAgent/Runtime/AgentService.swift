import Foundation
import Logging
import OutpostCore
import OutpostPKI
import OutpostProbes
import OutpostWire
import ServiceLifecycle

/// The running agent: probes the devices of its configuration, batches and spools the results,
/// and delivers the spool to the collector, which may send a new configuration at any time.
///
/// It starts from the cached configuration when there is one, so a restart during a WAN outage
/// keeps probing. On graceful shutdown it stops probing, spools the last partial batch and ends.
public struct AgentService: Service {
    private let identity: UplinkIdentity
    private let stateDirectory: String
    private let uplinkConfiguration: Uplink.Configuration
    private let spoolConfiguration: SpoolConfiguration
    private let logger: Logger

    /// An agent whose key, certificate, spool and cached configuration live in `stateDirectory`.
    public init(
        stateDirectory: String, uplink: Uplink.Configuration, spool: SpoolConfiguration = SpoolConfiguration(),
        logger: Logger
    ) throws {
        self.spoolConfiguration = spool
        self.identity = try UplinkIdentity(stateDirectory: AgentStateDirectory(path: stateDirectory))
        self.stateDirectory = stateDirectory
        self.uplinkConfiguration = uplink
        self.logger = logger
    }

    public func run() async throws {
        let spool = try Spool.open(
            directory: stateDirectory + "/spool", configuration: spoolConfiguration, logger: logger)
        let cache = try ConfigurationCache(stateDirectory: stateDirectory, agentKey: identity.credentials.privateKey)
        let engine = try ICMPEngine(logger: logger)
        let snmp = try SNMPEngine()
        let poller = ItemPoller(engine: snmp, logger: logger)
        let neighbours = NeighbourPoller(engine: snmp, logger: logger)
        let (configurations, nextConfiguration) = AsyncStream.makeStream(
            of: AgentConfiguration.self, bufferingPolicy: .bufferingNewest(1))
        if let cached = try cache.storedConfiguration() {
            logger.info(
                "probing from the cached configuration",
                metadata: ["devices": "\(cached.devices.count)", "version": "\(cache.version ?? "-")"])
            nextConfiguration.yield(cached)
        }
        let logger = self.logger
        let (results, resultSink) = AsyncStream.makeStream(
            of: ProbeResult.self, bufferingPolicy: .bufferingNewest(1 << 20))
        let tracer: TraceEngine?
        do {
            tracer = try TraceEngine(logger: logger)
        } catch {
            logger.warning("traceroute and MTR jobs will fail: no trace engine", metadata: ["reason": "\(error)"])
            tracer = nil
        }
        let jobs = JobRunner(
            sweeper: DiscoverySweeper(icmp: engine, snmp: snmp, logger: logger),
            diagnostics: tracer.map { DiagnosticJobRunner(engine: $0, logger: logger) }, logger: logger
        ) { finding in
            resultSink.yield(.finding(finding))
        }
        let uplink = Uplink(
            configuration: uplinkConfiguration, identity: identity, spool: spool, logger: logger,
            configurationVersion: { cache.version },
            applyConfiguration: { snapshot in
                do {
                    let configuration = try cache.adopt(snapshot)
                    logger.info(
                        "configuration received",
                        metadata: ["devices": "\(configuration.devices.count)", "version": "\(snapshot.version)"])
                    nextConfiguration.yield(configuration)
                } catch {
                    logger.error("configuration refused; keeping the current one", metadata: ["error": "\(error)"])
                }
            },
            jobs: jobs)
        let credentials = identity.credentials
        let batcher = Batcher(agentID: credentials.agentID, key: credentials.privateKey, spool: spool, logger: logger)

        await withTaskGroup(of: Void.self) { group in
            group.addTask { await spool.run() }
            group.addTask { await ProbeMetrics(engine: engine, poller: poller).run() }
            let delivery = Task { await uplink.run() }
            let batching = Task { await batcher.run(results) }
            await withGracefulShutdownHandler {
                await Self.probe(
                    configurations, engine: engine, poller: poller, neighbours: neighbours, into: resultSink,
                    logger: logger)
            } onGracefulShutdown: {
                nextConfiguration.finish()
            }
            // Probing ended: spool what is pending, then stop delivering.
            resultSink.finish()
            await batching.value
            delivery.cancel()
            await delivery.value
            await spool.close()
            await engine.shutdown()
            await tracer?.shutdown()
            await snmp.shutdown()
            group.cancelAll()
        }
    }

    /// Pings the devices of the newest configuration and polls their SNMP items until the
    /// configurations end. The first configuration starts the ping schedule; each later one
    /// changes its devices in place, so unchanged devices keep their timing and ping rounds in
    /// flight are still reported. Item polling restarts with each configuration (the poller
    /// keeps counter rates across restarts), and so do the neighbour walks.
    private static func probe(
        _ configurations: AsyncStream<AgentConfiguration>, engine: ICMPEngine, poller: ItemPoller,
        neighbours: NeighbourPoller,
        into sink: AsyncStream<ProbeResult>.Continuation, logger: Logger
    ) async {
        await withTaskGroup(of: Void.self) { group in
            var schedule: PingSchedule?
            var polling: Task<Void, Never>?
            for await configuration in configurations {
                polling?.cancel()
                await polling?.value
                // Only devices with something to poll: the pollers keep their list while they
                // run, and a ping-only device needs no more than its ping target.
                let polled = configuration.devices.filter { !$0.items.isEmpty || $0.snmp != nil }
                polling = Task {
                    async let items: Void = poller.run(devices: polled) { sink.yield(.item($0)) }
                    async let walks: Void = neighbours.run(devices: polled) { sink.yield(.neighbours($0)) }
                    _ = await (items, walks)
                }
                let devices = pingDevices(of: configuration, logger: logger)
                if let schedule {
                    schedule.replaceDevices(devices)
                } else {
                    let started = PingScheduler(engine: engine, devices: devices).start()
                    schedule = started
                    group.addTask {
                        for await result in started.results { sink.yield(.ping(result)) }
                    }
                }
            }
            polling?.cancel()
            await polling?.value
            group.cancelAll()
        }
    }

    /// The ping targets of `configuration`; a device with an invalid address is logged and skipped.
    private static func pingDevices(of configuration: AgentConfiguration, logger: Logger) -> [PingDevice] {
        var devices: [PingDevice] = []
        for device in configuration.devices {
            do {
                let settings = try PingConfiguration(
                    packetsPerRound: configuration.pingPackets,
                    roundInterval: .milliseconds(Int(configuration.pingIntervalSeconds * 1000)))
                devices.append(
                    PingDevice(
                        target: try PingTarget(deviceID: DeviceID(device.id), address: device.address),
                        configuration: settings))
            } catch {
                logger.error(
                    "device skipped: invalid ping target",
                    metadata: ["device": "\(device.name)", "address": "\(device.address)", "error": "\(error)"])
            }
        }
        return devices
    }
}
