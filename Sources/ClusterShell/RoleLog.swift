import Cluster
import Console
import Foundation

/// Log lines of one role, each prefixed with who speaks ("coordinator:", "actor 3:") so the
/// interleaved output of a local cluster stays readable; stderr, one line per write.
public final class RoleLog: @unchecked Sendable {
    public var prefix: String
    public let verbose: Bool
    private let lock = NSLock()

    public init(prefix: String, verbose: Bool) {
        self.prefix = prefix
        self.verbose = verbose
    }

    public func line(_ text: String) {
        lock.lock()
        defer { lock.unlock() }
        StandardError.write("\(prefix): \(text)\n")
    }

    public func debug(_ text: String) {
        if verbose { line(text) }
    }

    public func write(_ l: LogLine) {
        if l.verbose { debug(l.text) } else { line(l.text) }
    }
}
