import ArgumentParser
import Foundation
import OutpostCollector
import OutpostPKI
import OutpostStore

/// `outpost-collector token …`: one-time enrolment tokens. A token is printed once; the
/// database keeps only the SHA-256 of its secret.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Create, list and revoke enrolment tokens.",
        subcommands: [Create.self, List.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create", abstract: "Print a new one-time enrolment token for a branch.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var ca: CACommand.Directory
        @Option(help: "The branch the enrolled agent joins.")
        var branch: String
        @Option(help: "How long the token is valid: e.g. 30m, 24h, 7d (1 minute to 30 days).")
        var ttl = "24h"
        @Option(help: "HOST:PORT agents connect to for enrolment (default: $OUTPOST_ENROLMENT_ADDRESS).")
        var collector: String?

        func run() async throws {
            let lifetime = try TimeToLive.parse(ttl)
            guard let text = collector ?? Environment.value("OUTPOST_ENROLMENT_ADDRESS") else {
                throw ValidationError("give --collector HOST:PORT (or set OUTPOST_ENROLMENT_ADDRESS)")
            }
            guard let (host, port) = Self.address(text) else {
                throw ValidationError("--collector: expected HOST:PORT or [IPv6]:PORT, got \(text.debugDescription)")
            }
            let certificate = try CertificateFile.load(from: "\(ca.path)/\(CertificateAuthority.certificateFileName)")
            let token: EnrolmentToken
            do {
                token = try EnrolmentToken.generate(
                    collectorHost: host, collectorPort: port, caFingerprint: try CertificateFingerprint(of: certificate)
                )
            } catch {
                throw ValidationError("--collector: \(error)")
            }
            let expiresAt = Date() + lifetime
            let record = try await database.withConnection { connection, logger in
                try await EnrolmentTokenRegistry(logger: logger).create(
                    secretHash: token.secretHash, branchName: branch, expiresAt: expiresAt, by: .commandLine(),
                    on: connection)
            }
            print(token.encoded)
            FileHandleOutput.standardError(
                "token \(record.id.uuidString.lowercased()) for branch \(record.branchName), "
                    + "expires \(record.expiresAt.formatted(.iso8601)), collector \(token.collectorAddress), CA \(token.caFingerprint.short)"
            )
        }

        /// `host:port` or `[v6]:port`.
        static func address(_ text: String) -> (String, UInt16)? {
            let host: Substring
            let port: Substring
            if text.hasPrefix("["), let close = text.firstIndex(of: "]"),
                text[text.index(after: close)...].hasPrefix(":")
            {
                host = text[text.index(after: text.startIndex)..<close]
                port = text[text.index(close, offsetBy: 2)...]
            } else if let colon = text.lastIndex(of: ":"), !text[..<colon].contains(":") {
                host = text[..<colon]
                port = text[text.index(after: colon)...]
            } else {
                return nil
            }
            guard !host.isEmpty, let number = UInt16(port), number > 0 else { return nil }
            return (String(host), number)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List tokens (never the tokens themselves).")

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let tokens = try await database.withConnection { connection, logger in
                try await EnrolmentTokenRegistry(logger: logger).list(on: connection)
            }
            print(
                "ID                                    BRANCH                CREATED (UTC)         EXPIRES (UTC)         STATE"
            )
            let now = Date()
            for token in tokens {
                var state = token.state(now: now)
                if let agent = token.usedByAgent { state += " by agent \(agent)" }
                print(
                    [
                        token.id.uuidString.lowercased(), pad(token.branchName, 20),
                        token.createdAt.formatted(.iso8601), token.expiresAt.formatted(.iso8601), state,
                    ].joined(separator: "  "))
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke", abstract: "Revoke an unused token.")

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The token's id (from `token list`).")
        var id: String

        func run() async throws {
            guard let uuid = UUID(uuidString: id) else {
                throw ValidationError("not a token id: \(id.debugDescription)")
            }
            let token = try await database.withConnection { connection, logger in
                try await EnrolmentTokenRegistry(logger: logger).revoke(id: uuid, by: .commandLine(), on: connection)
            }
            print("token \(token.id.uuidString.lowercased()): \(token.state())")
        }
    }
}

/// `text` padded with spaces (or cut) to `width` characters.
func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? String(text.prefix(width)) : text + String(repeating: " ", count: width - text.count)
}

/// Parses durations given on the command line: a number followed by s, m, h or d.
enum TimeToLive {
    /// Accepted token lifetimes.
    static let tokenRange: ClosedRange<TimeInterval> = 60...(30 * 86_400)

    /// The duration `text` names, which must lie in `range`; errors name `option`.
    static func parse(_ text: String, option: String = "--ttl", range: ClosedRange<TimeInterval> = tokenRange) throws
        -> TimeInterval
    {
        let units: [Character: TimeInterval] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
        guard let unit = text.last.flatMap({ units[$0] }), let count = Int(text.dropLast()), count > 0 else {
            throw ValidationError(
                "\(option): expected a number and a unit (s, m, h, d), e.g. 24h; got \(text.debugDescription)")
        }
        let seconds = TimeInterval(count) * unit
        guard range.contains(seconds) else {
            throw ValidationError(
                "\(option): must be between \(Int(range.lowerBound)) s and \(Int(range.upperBound) / 86_400) days")
        }
        return seconds
    }
}

/// Writes a line to standard error (notes that must not mix with a printed token).
enum FileHandleOutput {
    static func standardError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
