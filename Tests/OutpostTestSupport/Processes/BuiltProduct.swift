import Foundation

/// Executables of this package built next to the test bundle (`swift build --build-tests`).
public enum BuiltProduct {
    /// The path of `name`: `$<variable>` when set, else next to the test bundle.
    public static func path(_ name: String, overriddenBy variable: String) throws -> String {
        let candidates: [String?] = [
            ProcessInfo.processInfo.environment[variable],
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(name)
                .path,
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")).map {
                URL(fileURLWithPath: $0).deletingLastPathComponent().appendingPathComponent(name).path
            },
        ]
        guard
            let path = candidates.compactMap({ $0 }).first(where: { FileManager.default.isExecutableFile(atPath: $0) })
        else {
            throw TestEnvironmentError(
                "\(name) not found next to the test bundle; build it (swift build --build-tests) or set \(variable)")
        }
        return path
    }

    /// `outpost-collector` (`OUTPOST_COLLECTOR_BIN` overrides).
    public static var collector: String {
        get throws { try path("outpost-collector", overriddenBy: "OUTPOST_COLLECTOR_BIN") }
    }
}
