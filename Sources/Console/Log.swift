import Foundation

/// Progress lines: stdout for people, stderr when stdout carries JSON for scripts.
public struct Log {
    public var toStderr: Bool

    public init(toStderr: Bool) { self.toStderr = toStderr }

    public func line(_ s: String) {
        if toStderr {
            StandardError.write(s + "\n")
        } else {
            print(s)
            fflush(stdout)
        }
    }
}
