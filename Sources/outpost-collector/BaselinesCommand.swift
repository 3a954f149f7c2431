import ArgumentParser
import Foundation
import Logging
import OutpostStore
import PostgresNIO

/// `outpost-collector baselines …`: the per-hour-of-week RTT, loss and item baselines that
/// `baseline()` and `anomaly()` rules compare with (docs/alert-rules.md, "Baselines").
struct BaselinesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baselines",
        abstract: "Compute baselines now, or show a device's.",
        subcommands: [Compute.self, Show.self])

    struct Compute: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "compute",
            abstract: "Take the baseline job's due steps now (what `run` does after each day), printing each.",
            discussion: """
                The first run learns every hour of week from the last 4 weeks of hourly roll-ups; later runs fold in
                each complete day since the last. Another collector computing at the same time makes this wait for
                nothing: it stops and says so.
                """)

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await database.withConnection { connection, logger in
                let writer = BaselineWriter(logger: logger)
                while true {
                    let clock = ContinuousClock.now
                    let step = try await writer.step(now: Date(), on: connection)
                    let elapsed = ContinuousClock.now - clock
                    let through = step.computedThrough.map(CommandLineTime.format) ?? "-"
                    switch step.kind {
                    case .lockedElsewhere:
                        print("another collector is computing baselines now; try again later")
                        return
                    case .upToDate:
                        print("baselines are up to date: they include the hourly roll-ups before \(through)")
                        return
                    case .full, .day:
                        print(
                            "\(step.kind == .full ? "all hours of week" : "\(step.hours) hours of week") through \(through): "
                                + "\(step.devices) devices, \(step.items) items, \(step.rollupRows) hourly roll-ups read, "
                                + "\(step.baselineRows) baselines written in \(Self.seconds(elapsed)) s"
                        )
                    }
                }
            }
        }

        static func seconds(_ duration: Duration) -> String {
            let (seconds, attoseconds) = duration.components
            return String(format: "%.2f", Double(seconds) + Double(attoseconds) / 1e18)
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Show a device's RTT and loss baselines per hour of week (UTC).")

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The device, by id or (unique) name.") var device: String
        @Flag(help: "Also show the baselines of the device's numeric items.") var items = false

        func run() async throws {
            let baselines = try await database.withConnection { connection, logger in
                let id = try await Self.deviceID(device, on: connection, logger: logger)
                return try await BaselineStore(logger: logger).baselines(device: id, on: connection)
            }
            guard let baselines else { throw ValidationError("no device \(device.debugDescription)") }
            print(
                "computed through: \(baselines.computedThrough.map(CommandLineTime.format) ?? "never (the job has not run)")"
            )
            guard !baselines.ping.isEmpty || !baselines.items.isEmpty else {
                print("no baselines: an hour of week needs at least 3 hourly roll-ups (three weeks of history)")
                return
            }
            let ping = baselines.ping.map { hour in
                [
                    Self.label(hour.hourOfWeek), Self.number(hour.rttMedianMs), Self.number(hour.rttMADMs),
                    "\(hour.rttSamples)", Self.number(hour.lossMedianPercent), Self.number(hour.lossMADPercent),
                    "\(hour.lossSamples)", CommandLineTime.format(hour.computedAt),
                ]
            }
            print(
                TextTable.render(
                    header: ["HOUR", "RTT MS", "RTT MAD", "N", "LOSS %", "LOSS MAD", "N", "COMPUTED"], rows: ping))
            guard items else { return }
            let rows = baselines.items.map { item in
                [
                    item.itemName, Self.label(item.hourOfWeek), Self.number(item.median), Self.number(item.mad),
                    "\(item.samples)", CommandLineTime.format(item.computedAt),
                ]
            }
            print(TextTable.render(header: ["ITEM", "HOUR", "MEDIAN", "MAD", "N", "COMPUTED"], rows: rows))
        }

        /// `Mon 00h` … `Sun 23h`.
        static func label(_ hourOfWeek: Int) -> String {
            let days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
            let hour = hourOfWeek % 24
            return "\(days[hourOfWeek / 24]) \(hour < 10 ? "0" : "")\(hour)h"
        }

        static func number(_ value: Double?) -> String {
            value.map { String(format: "%.3f", $0) } ?? "-"
        }

        /// The id of `device`, given by id or by (unique) name.
        static func deviceID(_ device: String, on connection: PostgresConnection, logger: Logger) async throws -> UUID {
            if let id = UUID(uuidString: device) { return id }
            let rows = try await connection.query(
                "SELECT id FROM standalone_devices WHERE name = \(device)", logger: logger)
            var found: [UUID] = []
            for try await id in rows.decode(UUID.self) { found.append(id) }
            guard found.count == 1 else {
                throw ValidationError(
                    found.isEmpty
                        ? "no device named \(device.debugDescription)"
                        : "\(found.count) devices are named \(device.debugDescription); give its id")
            }
            return found[0]
        }
    }
}
