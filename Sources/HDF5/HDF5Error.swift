#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

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
        /// The file's first bytes claim HDF5 but its superblock is damaged; refused before
        /// HDF5 opens it (HDF5's SWMR open would retry such a file for minutes).
        case damagedSuperblock
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
    /// Kept whole for debugging; `description` shows only its innermost entry.
    public let stack: [String]
    /// The operating system's error number when the failure came from a system call (HDF5's
    /// file drivers record `errno = N` in their message): ENOSPC for a full disk, EIO, EACCES…
    public let systemError: Int32?

    init(
        _ kind: Kind, _ operation: String, path: String, object: String? = nil,
        detail: String? = nil, stack: [String] = []
    ) {
        self.kind = kind
        self.operation = operation
        self.path = path
        self.object = object
        self.detail = detail
        self.stack = stack
        self.systemError = stack.lazy.compactMap(Self.errnoValue).last
    }

    /// "… errno = 28, error message = …" → 28.
    private static func errnoValue(_ entry: String) -> Int32? {
        guard let range = entry.range(of: "errno = ") else { return nil }
        return Int32(entry[range.upperBound...].prefix(while: \.isNumber))
    }

    /// Why it failed, in a few words: the wrapper's detail and the system's reason ("no space
    /// left on device") when there are those, else HDF5's innermost message.
    public var reason: String {
        switch (detail, systemError) {
        case let (detail?, code?): return "\(detail) (\(Self.systemErrorText(code)))"
        case let (detail?, nil): return detail
        case let (nil, code?): return Self.systemErrorText(code)
        case (nil, nil): return stack.last.map(Self.innermostMessage) ?? "HDF5 gave no reason"
        }
    }

    /// strerror's text with a lower-case first letter, to sit mid-sentence.
    public static func systemErrorText(_ code: Int32) -> String {
        let text = String(cString: strerror(code))
        return text.prefix(1).lowercased() + text.dropFirst()
    }

    /// "H5FD_sec2_read(): addr overflow, addr = 1 (Low-level I/O: Address overflowed)" →
    /// "addr overflow, addr = 1 (Low-level I/O: Address overflowed)".
    private static func innermostMessage(_ entry: String) -> String {
        guard let range = entry.range(of: "(): ") else { return entry }
        return String(entry[range.upperBound...])
    }

    /// One line: what failed, where, and why. The whole HDF5 stack is in `stack` (and
    /// `fullDescription`), never on the terminal by default.
    public var description: String {
        var text = "HDF5: could not \(operation)"
        if let object { text += " '\(object)'" }
        text += " in '\(path)': \(reason)"
        return text
    }

    /// `description` plus HDF5's whole error stack, for a log file or a bug report.
    public var fullDescription: String {
        stack.isEmpty ? description : description + "; HDF5 stack: " + stack.joined(separator: " <- ")
    }
}
