import ArgumentParser
import Foundation

/// Reads a new password without it ever reaching argv: at a terminal, twice without echo;
/// otherwise one line of standard input (for scripts: `printf '%s\n' "$PW" | outpost-collector …`).
enum PasswordPrompt {
    static func read(_ prompt: String = "Password") throws -> String {
        if isatty(STDIN_FILENO) == 1 {
            guard let first = getpass("\(prompt): ").map({ String(cString: $0) }),
                let second = getpass("\(prompt) again: ").map({ String(cString: $0) })
            else { throw ValidationError("no password read from the terminal") }
            guard first == second else { throw ValidationError("the two passwords differ") }
            return first
        }
        guard let line = readLine(strippingNewline: true), !line.isEmpty else {
            throw ValidationError("no password on standard input")
        }
        return line
    }
}
