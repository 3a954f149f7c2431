import Foundation
import PackagePlugin

/// Embeds the files under a target's `Resources/` folder in its code, as the text of an
/// `EmbeddedResources` enum generated at build time.
///
/// SwiftPM resources would be read through `Bundle.module`, which on Linux looks for a bundle
/// folder beside the executable and traps when it is missing: a collector binary installed
/// alone would crash. Embedded text travels inside the binary.
@main
struct EmbedResources: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let root = target.directoryURL.appending(path: "Resources")
        let paths = try Self.files(under: root)
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedResources.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(paths.count) resource files of \(target.name)",
                executable: try context.tool(named: "EmbedResourcesTool").url,
                arguments: [root.path(percentEncoded: false), output.path(percentEncoded: false)] + paths,
                inputFiles: paths.map { root.appending(path: $0) },
                outputFiles: [output])
        ]
    }

    /// The regular files under `root`, as paths relative to it, sorted.
    private static func files(under root: URL) throws -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: root.path(percentEncoded: false)) else {
            return []
        }
        var paths: [String] = []
        while let path = enumerator.nextObject() as? String {
            if enumerator.fileAttributes?[.type] as? FileAttributeType == .typeRegular { paths.append(path) }
        }
        return paths.sorted()
    }
}
