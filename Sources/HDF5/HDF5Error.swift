/// Everything that can go wrong in the HDF5 module. One type, so callers catch one thing; the
/// `kind` says whether HDF5 itself refused (`library`) or this wrapper caught bad input first.
public struct HDF5Error: Error, CustomStringConvertible, Sendable {
    public enum Kind: Equatable, Sendable {
        /// An HDF5 C call returned failure; `stack` holds HDF5's own explanation.
        case library
        /// The file exists but does not start with the HDF5 signature (empty, or another format).
        case notHDF5File
        /// The stored element type is not the one the caller asked for (no silent conversion).
        case typeMismatch
        /// A shape, row width or element count does not add up.
        case shapeMismatch
        /// A name, chunk size or other argument is unusable before HDF5 is even asked.
        case invalidArgument
        /// The file (or this object) was already closed.
        case closed
    }

    public let kind: Kind
    /// What we were doing, in words: "open file", "read dataset", "append rows".
    public let operation: String
    /// The file on disk, so a log line alone says which file is bad.
    public let path: String
    /// The object inside the file ("/episodes/cost"), when there is one.
    public let object: String?
    /// The wrapper's own explanation (for non-library kinds, or a hint added to a library error).
    public let detail: String?
    /// HDF5's error stack, outermost API call first; each entry "function(): message (major: minor)".
    public let stack: [String]

    init(_ kind: Kind, _ operation: String, path: String, object: String? = nil,
         detail: String? = nil, stack: [String] = []) {
        self.kind = kind
        self.operation = operation
        self.path = path
        self.object = object
        self.detail = detail
        self.stack = stack
    }

    public var description: String {
        var text = "HDF5: could not \(operation)"
        if let object { text += " '\(object)'" }
        text += " in '\(path)'"
        if let detail { text += ": \(detail)" }
        if !stack.isEmpty { text += (detail == nil ? ": " : "; HDF5 says: ") + stack.joined(separator: " <- ") }
        return text
    }
}
