import Foundation

/// The `openssl` command-line tool: an independent X.509 and TLS implementation checking ours.
public enum OpenSSL {
    /// Where `openssl` is; throws (failing the test) when it is missing.
    public static var path: String {
        get throws {
            guard let path = Harness.executable("openssl") else {
                throw TestEnvironmentError(
                    "openssl is not installed: the test script must install the Debian package 'openssl'")
            }
            return path
        }
    }

    /// Runs `openssl` with `arguments`, killed after `timeLimit` when given (a peer that never
    /// answers would hang it).
    public static func run(_ arguments: [String], timeLimit: Duration? = nil) async throws -> Command.Output {
        try await Command.run(try path, arguments, timeLimit: timeLimit)
    }

    /// Runs `openssl` with `arguments`; throws with what it printed unless it exits 0.
    @discardableResult
    public static func checked(_ arguments: [String]) async throws -> String {
        try await Command.output(try path, arguments)
    }

    /// `openssl x509 -noout -text` of the PEM certificate at `path`.
    public static func text(ofCertificate path: String) async throws -> String {
        try await checked(["x509", "-in", path, "-noout", "-text"])
    }

    /// `openssl verify -CAfile caPath certificatePath`, plus any extra options.
    public static func verify(_ certificatePath: String, caFile caPath: String, options: [String] = []) async throws
        -> Command.Output
    {
        try await run(["verify"] + options + ["-CAfile", caPath, certificatePath])
    }
}
