import Console

/// Why code could not be generated or an order exported. Each case says what is wrong and what to
/// do; the command turns it into one line and exit status 1, and writes no file.
public enum CodegenError: Error, Equatable, CustomStringConvertible {
    /// The elimination order is not a permutation of the eliminable vertices.
    case invalidOrder(String)
    /// A name that cannot become an identifier (C file and function names are made from it).
    case invalidName(String)
    /// The program has no inputs or no outputs: there is nothing to differentiate.
    case emptyProgram(name: String)

    public var description: String { PrintableText.escaped(text) }

    private var text: String {
        switch self {
        case .invalidOrder(let reason):
            return "invalid elimination order: \(reason)"
        case .invalidName(let name):
            return
                "'\(name)' is not usable as a C or Python name: use letters, digits and '_' and start with a letter (--name)"
        case .emptyProgram(let name):
            return "\(name) has no inputs or no outputs: there is no Jacobian to generate"
        }
    }
}
