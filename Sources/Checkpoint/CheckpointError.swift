import HDF5

/// Why a checkpoint or episode log could not be read or written. Every case names the file and
/// what is wrong with it, so one log line tells the user which file to look at and why; `cause`
/// keeps the HDF5 error underneath when there is one.
public struct CheckpointError: Error, CustomStringConvertible {
    public enum Kind: Equatable, Sendable {
        case missing
        /// Zero bytes: a write died before anything reached the disk.
        case empty
        /// Shorter than HDF5's own record of its length: a copy or a write was cut short.
        case truncated
        /// No HDF5 signature: some other kind of file.
        case notHDF5
        /// A Fletcher-32, metadata or parameter checksum does not match: bits changed on disk.
        case corrupted
        /// An HDF5 file, but not ours (no or another `format` attribute).
        case foreign
        /// Written by a newer ccelim whose schema this build does not know.
        case newerVersion
        /// Ours, but a dataset or attribute is missing or has the wrong type or shape.
        case wrongSchema
        /// HDF5 failed for another reason (the cause says which).
        case unreadable
        /// Writing, syncing or renaming failed.
        case writeFailed
    }

    public let kind: Kind
    public let path: String
    public let detail: String
    public let cause: HDF5Error?

    init(_ kind: Kind, _ path: String, _ detail: String, cause: HDF5Error? = nil) {
        self.kind = kind
        self.path = path
        self.detail = detail
        self.cause = cause
    }

    public var description: String {
        var text = "'\(path)': \(detail)"
        // One line: HDF5's reason (the system's, e.g. "no space left on device", when there is
        // one), never its whole error stack; that stays in `cause.stack`.
        if let cause, kind == .unreadable || kind == .writeFailed { text += ": \(cause.reason)" }
        return text
    }

    /// Sorts an HDF5 failure met while reading `path` into the kind a user can act on. HDF5
    /// reports checksum failures (Fletcher-32 on data, Jenkins on latest-format metadata) and
    /// truncation only as text on its error stack, so that is what is matched.
    static func reading(_ path: String, _ error: HDF5Error, what: String) -> CheckpointError {
        let stack = error.stack.joined(separator: " ").lowercased()
        switch error.kind {
        case .notHDF5File:
            return CheckpointError(
                .notHDF5, path, "not an HDF5 file (no HDF5 signature), so not a ccelim \(what)", cause: error)
        case .damagedSuperblock:
            return CheckpointError(
                .corrupted, path, "corrupted: \(error.detail ?? "the HDF5 superblock is damaged")", cause: error)
        case .typeMismatch, .shapeMismatch:
            return CheckpointError(
                .wrongSchema, path, "does not follow the \(what) schema: \(error.object ?? "?") \(error.detail ?? "")",
                cause: error)
        default:
            break
        }
        if stack.contains("truncated file") {
            return CheckpointError(
                .truncated, path,
                "the file is truncated (\(truncationText(stack))); it was cut short while being written or copied",
                cause: error)
        }
        if stack.contains("checksum") {
            let object = error.object.map { " in \($0)" } ?? ""
            return CheckpointError(
                .corrupted, path, "corrupted: a stored checksum does not match\(object), so bits changed on disk",
                cause: error)
        }
        return CheckpointError(
            .unreadable, path, "cannot read this \(what): HDF5 could not \(error.operation)", cause: error)
    }

    /// "eof = 1024 … stored_eof = 4096" → "1024 of 4096 bytes".
    private static func truncationText(_ stack: String) -> String {
        func number(after key: String) -> String? {
            guard let range = stack.range(of: key) else { return nil }
            return String(stack[range.upperBound...].drop(while: { $0 == " " || $0 == "=" }).prefix(while: \.isNumber))
        }
        if let eof = number(after: "truncated file: eof"), let stored = number(after: "stored_eof") {
            return "\(eof) of \(stored) bytes"
        }
        return "shorter than its header says"
    }
}
