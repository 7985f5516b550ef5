import Foundation

/// A long run's progress: a status line rewritten in place on a terminal (children's log lines
/// printed above it, so it stays whole), a plain line every 10 s when piped (stderr when stdout
/// carries JSON). Thread-safe: children's lines arrive on reading threads.
public final class ProgressLine {
    public let toStderr: Bool
    public let isTerminal: Bool
    private let lock = NSLock()
    private var piped = Throttle(interval: 10, from: -.infinity)
    private var statusText: String?

    public init(toStderr: Bool) {
        self.toStderr = toStderr
        isTerminal = isatty(toStderr ? 2 : 1) == 1
    }

    public func line(_ s: String) {
        lock.withLock {
            clearStatus()
            write(s + "\n")
        }
    }

    /// A child's log line (any thread): on stderr, above the status line.
    public func childLine(_ s: String) {
        lock.withLock {
            let shown = statusText
            clearStatus()
            StandardError.write(s + "\n")
            if let shown { drawStatus(shown) }
        }
    }

    /// The status: redrawn on a terminal, else printed at most every 10 s.
    public func status(_ text: String) {
        lock.withLock {
            if isTerminal {
                clearStatus()
                drawStatus(text)
            } else if piped.admits(monotonicSeconds()) {
                write(text + "\n")
            }
        }
    }

    public func finish() {
        lock.withLock {
            if statusText != nil { write("\n") }
            statusText = nil
        }
    }

    private func drawStatus(_ text: String) {
        write(text)
        statusText = text
    }

    private func clearStatus() {
        if statusText != nil { write("\r\u{1B}[2K") }
        statusText = nil
    }

    private func write(_ s: String) {
        FileHandle(fileDescriptor: toStderr ? 2 : 1).write(Data(s.utf8))
    }
}
