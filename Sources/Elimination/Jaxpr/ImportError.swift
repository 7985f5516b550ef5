import Console

/// Why a jaxpr or graph file could not be read. Every case names the line (1-based) and what is
/// wrong, so a user can fix the input; nothing is ever skipped silently.
public struct ImportError: Error, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case syntax  // the text is not a jaxpr (truncated, garbage, unbalanced brackets)
        case unsupportedPrimitive
        case unsupportedShape  // rank > 2, batch dimensions in dot_general, …
        case shapeMismatch  // operand shapes that the primitive cannot combine
        case undefinedVariable
        case invalidGraphFile
        case tooLarge  // a game state of this graph would not fit (GameLimits)
    }

    public var kind: Kind
    public var line: Int
    public var message: String
    /// The file being read, when known (set by the caller that opened it).
    public var file: String?

    public init(_ kind: Kind, line: Int, _ message: String, file: String? = nil) {
        self.kind = kind
        self.line = line
        self.message = message
        self.file = file
    }

    /// One printable line: quoted input is escaped (PrintableText), whatever bytes the file held.
    public var description: String {
        let place = file.map { "\($0):\(line)" } ?? "line \(line)"
        return PrintableText.escaped("\(place): \(message)")
    }

    /// A rewrite (scan, while, an unrolled factorization: `what`) that would write more equations
    /// than a game state still holds.
    static func unrollingTooLarge(_ what: String, maxEquations: Int, line: Int) -> ImportError {
        ImportError(
            .tooLarge, line: line,
            "\(what) unrolls into more than \(maxEquations) equations, more than a game state holds (with the program's other equations)"
        )
    }

    /// Said after an unsupported primitive's name: where the ones ccelim imports are listed.
    static let supportedPrimitivesHint =
        " (the primitives ccelim imports, and how, are listed in Docs/COST_MODEL.md §2 and §6)"

    public func inFile(_ path: String) -> ImportError {
        var copy = self
        copy.file = path
        return copy
    }
}
