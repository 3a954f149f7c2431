import ArgumentParser
import OutpostStore

/// Where the collector's PostgreSQL is: `--database-url`, else `OUTPOST_DATABASE_URL`.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .customLong("database-url"), help: "postgres://user[:password]@host:port/database (default: $OUTPOST_DATABASE_URL)")
    var databaseURL: String?

    /// The parsed URL; a clear error naming the option when missing or malformed.
    func resolve() throws -> DatabaseURL {
        guard let text = databaseURL ?? Environment.value("OUTPOST_DATABASE_URL") else {
            throw ValidationError("no database: pass --database-url or set OUTPOST_DATABASE_URL")
        }
        do {
            return try DatabaseURL(text)
        } catch let error as DatabaseURL.ParseError {
            throw ValidationError("--database-url: \(error.description)")
        }
    }
}
