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
    private let icmpMaxPacketsPerSecond: Int
    private let logger: Logger
    /// The ping demand, the ICMP ceiling and the rounds overrun while the agent runs.
    public let pingLoad: PingLoadMonitor

    /// An agent whose key, certificate, spool and cached configuration live in `stateDirectory`,
    /// sending at most `icmpMaxPacketsPerSecond` echo requests per second (clamped to
    /// ``PingRatePlan/ceilingRange``).
    public init(
        stateDirectory: String, uplink: Uplink.Configuration, spool: SpoolConfiguration = SpoolConfiguration(),
        icmpMaxPacketsPerSecond: Int = PingRatePlan.defaultCeilingPacketsPerSecond, logger: Logger
    ) throws {
        self.spoolConfiguration = spool
        let ceiling = PingRatePlan(
            devices: 0, packetsPerRound: 1, roundInterval: .seconds(1), ceilingPacketsPerSecond: icmpMaxPacketsPerSecond
        ).ceilingPacketsPerSecond
        self.icmpMaxPacketsPerSecond = ceiling
        self.pingLoad = PingLoadMonitor(ceilingPacketsPerSecond: ceiling)
        self.identity = try UplinkIdentity(stateDirectory: AgentStateDirectory(path: stateDirectory))
        self.stateDirectory = stateDirectory
        self.uplinkConfiguration = uplink
        self.logger = logger
    }

    public func run() async throws {
        let spool = try Spool.open(
            directory: stateDirectory + "/spool", configuration: spoolConfiguration, logger: logger)
        let cache = try ConfigurationCache(stateDirectory: stateDirectory, agentKey: identity.credentials.privateKey)
        // Until the first configuration says what it needs: the floor, or the ceiling if lower.
        let engine = try ICMPEngine(
            configuration: .init(
                maxPacketsPerSecond: min(PingRatePlan.floorPacketsPerSecond, icmpMaxPacketsPerSecond)),
            logger: logger)
        pingLoad.attach(engine)
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
        let pingLoad = self.pingLoad
        let ceiling = icmpMaxPacketsPerSecond
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
            jobs: jobs, health: AgentHealthSources(pingLoad: { pingLoad.current }))
        let credentials = identity.credentials
        let batcher = Batcher(agentID: credentials.agentID, key: credentials.privateKey, spool: spool, logger: logger)

        await withTaskGroup(of: Void.self) { group in
            group.addTask { await spool.run() }
            group.addTask { await ProbeMetrics(engine: engine, poller: poller).run() }
            group.addTask { await PingLoadMetrics(load: pingLoad).run() }
            let delivery = Task { await uplink.run() }
            let batching = Task { await batcher.run(results) }
            await withGracefulShutdownHandler {
                await Self.probe(
                    configurations, engine: engine, pacing: (ceiling, pingLoad), poller: poller,
                    neighbours: neighbours, into: resultSink, logger: logger)
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
    /// flight are still reported. Each configuration also sets the engine's send rate to what
    /// it needs under the ceiling (``PingRatePlan``). Item polling restarts with each
    /// configuration (the poller keeps counter rates across restarts), and so do the neighbour walks.
    private static func probe(
        _ configurations: AsyncStream<AgentConfiguration>, engine: ICMPEngine,
        pacing: (ceiling: Int, load: PingLoadMonitor), poller: ItemPoller, neighbours: NeighbourPoller,
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
                let devices = pingDevices(of: configuration, ceiling: pacing.ceiling, logger: logger) { plan in
                    engine.setMaxPacketsPerSecond(plan.sendRatePacketsPerSecond)
                    pacing.load.adopt(plan)
                }
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

    /// The ping targets of `configuration` under the ICMP `ceiling`; a device with an invalid
    /// address is logged and skipped. `apply` receives the rate plan before the devices are
    /// returned; a plan that cannot fit the ceiling is logged as a warning with its stretched interval.
    static func pingDevices(
        of configuration: AgentConfiguration, ceiling: Int, logger: Logger, apply: (PingRatePlan) -> Void
    ) -> [PingDevice] {
        var targets: [PingTarget] = []
        for device in configuration.devices {
            do {
                targets.append(try PingTarget(deviceID: DeviceID(device.id), address: device.address))
            } catch {
                logger.error(
                    "device skipped: invalid ping target",
                    metadata: ["device": "\(device.name)", "address": "\(device.address)", "error": "\(error)"])
            }
        }
        // The collector bounds the interval; a value beyond a day (or not a number) is refused below.
        let seconds = configuration.pingIntervalSeconds
        let interval: Duration =
            seconds.isFinite && seconds > 0 && seconds <= 86_400 ? .milliseconds(Int64(seconds * 1000)) : .zero
        let plan = PingRatePlan(
            devices: targets.count, packetsPerRound: configuration.pingPackets, roundInterval: interval,
            ceilingPacketsPerSecond: ceiling)
        let settings: PingConfiguration
        do {
            settings = try PingConfiguration(packetsPerRound: configuration.pingPackets, roundInterval: interval)
        } catch {
            logger.error(
                "no device pinged: invalid ping settings",
                metadata: ["interval": "\(seconds)", "packets": "\(configuration.pingPackets)", "error": "\(error)"])
            return []
        }
        let stretched: PingConfiguration
        do {
            stretched = try PingConfiguration(
                packetsPerRound: settings.packetsPerRound, packetInterval: settings.packetInterval,
                timeout: settings.timeout, roundInterval: plan.roundInterval)
        } catch {
            // Unreachable: a stretched interval is longer than the valid configured one and at most a day.
            stretched = settings
        }
        apply(plan)
        log(plan, logger: logger)
        return targets.prefix(plan.devicesPinged).map { PingDevice(target: $0, configuration: stretched) }
    }

    private static func log(_ plan: PingRatePlan, logger: Logger) {
        var metadata: Logger.Metadata = [
            "devices": "\(plan.devices)", "demand_pps": "\(Int(plan.demandPacketsPerSecond.rounded(.up)))",
            "ceiling_pps": "\(plan.ceilingPacketsPerSecond)", "send_rate_pps": "\(plan.sendRatePacketsPerSecond)",
            "interval": "\(plan.configuredInterval)",
        ]
        guard !plan.fits else {
            logger.info("ICMP send rate set for the configuration", metadata: metadata)
            return
        }
        metadata["stretched_interval"] = "\(plan.roundInterval)"
        metadata["devices_pinged"] = "\(plan.devicesPinged)"
        logger.warning(
            "ping demand cannot fit under the ICMP ceiling: rounds stretched to fit (raise icmp_max_packets_per_second, lengthen the interval or split the branch)",
            metadata: metadata)
    }
}
