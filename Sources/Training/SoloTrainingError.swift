import Console

/// Why a solo training run (`ccelim train --solo`) refused to start or stopped: one line naming
/// the flag, file or update and what to do. The text is made printable (it quotes paths and flags).
public struct SoloTrainingError: Error, CustomStringConvertible {
    public var description: String

    public init(_ message: String) {
        description = PrintableText.escaped(message)
    }
}
