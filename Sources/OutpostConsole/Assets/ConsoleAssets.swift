import Foundation

/// The console's static files, embedded in the binary from `Resources/static/`.
public enum ConsoleAssets {
    /// Every static file by its path under `/static/`.
    public static let all: [String: ConsoleAsset] = {
        var assets: [String: ConsoleAsset] = [:]
        let prefix = "static/"
        for (path, text) in EmbeddedResources.files where path.hasPrefix(prefix) {
            let name = String(path.dropFirst(prefix.count))
            assets[name] = ConsoleAsset(path: name, bytes: Array(text.utf8))
        }
        for (path, base64) in EmbeddedResources.binaryFiles where path.hasPrefix(prefix) {
            guard let data = Data(base64Encoded: base64) else {
                preconditionFailure("embedded resource \(path) is not Base64")
            }
            let name = String(path.dropFirst(prefix.count))
            assets[name] = ConsoleAsset(path: name, bytes: Array(data))
        }
        return assets
    }()

    /// The file at `path` under `/static/`, or `nil`.
    public static func asset(_ path: String) -> ConsoleAsset? {
        all[path]
    }
}
