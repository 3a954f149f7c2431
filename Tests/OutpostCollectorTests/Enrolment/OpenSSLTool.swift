import Foundation
import OutpostTestSupport

/// The `openssl` command line tool: an independent X.509 implementation checking our output.
enum OpenSSLTool {
    struct Output {
        let status: Int32
        let output: String
    }

    /// Runs `openssl` with `arguments`, killed after `timeLimit` seconds when given (a peer
    /// that never answers would hang it); throws (failing the test) when the tool is missing.
    static func run(_ arguments: [String], timeLimit: Int? = nil) throws -> Output {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
            .map { "\($0)/openssl" }.first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let path else {
            throw TestEnvironmentError("openssl not found in PATH: the test script must install the Debian package 'openssl'")
        }
        let process = Process()
        if let timeLimit {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
            process.arguments = ["\(timeLimit)", path] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: path)
            process.arguments = arguments
        }
        let pipe = Pipe()
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }
}
