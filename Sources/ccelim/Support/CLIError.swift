import ArgumentParser

/// A user-facing failure: printed as `error: MESSAGE` with exit code 1 (usage errors exit 64 via
/// ArgumentParser). Library errors are wrapped here, never turned into crashes.
struct CLIError: Error, CustomStringConvertible {
    var description: String

    init(_ message: String) {
        description = message
    }
}
