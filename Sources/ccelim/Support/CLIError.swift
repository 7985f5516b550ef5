import ArgumentParser
import Console

/// A user-facing failure: printed as `error: MESSAGE` with exit code 1 (usage errors exit 64 via
/// ArgumentParser). Library errors are wrapped here, never turned into crashes.
struct CLIError: Error, CustomStringConvertible {
    var description: String

    /// The message is made printable (PrintableText): it often quotes a path, a flag or a file.
    init(_ message: String) {
        description = PrintableText.escaped(message)
    }
}
