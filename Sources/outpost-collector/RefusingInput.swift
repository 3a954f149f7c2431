import ArgumentParser
import OutpostStore

/// Runs `body`, turning a value the stores refuse into a command-line validation error.
@discardableResult
func refusingInput<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as InputError {
        throw ValidationError(error.description)
    }
}
