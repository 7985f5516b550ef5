import Foundation

/// Writes to standard error that never stop the process. `FileHandle.write(_: Data)` traps when
/// the write fails, and it fails on a closed pipe: a log reader that went away (`… 2>&1 | head`, a
/// collector restarted) or, for a cluster role, the `ccelim train` parent that relayed its lines
/// and was killed. A learner must outlive whoever reads its log (it stops on SIGTERM, with its
/// checkpoint, not on a lost line), so a line that cannot be written is dropped.
public enum StandardError {
    public static func write(_ text: String) {
        try? FileHandle.standardError.write(contentsOf: Data(text.utf8))
    }
}
