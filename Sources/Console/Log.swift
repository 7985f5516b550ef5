import Foundation

/// Progress lines: stdout for people, stderr when stdout carries JSON for scripts.
public struct Log {
    public var toStderr: Bool

    public init(toStderr: Bool) { self.toStderr = toStderr }

    public func line(_ s: String) {
        if toStderr {
            FileHandle.standardError.write(Data((s + "\n").utf8))
        } else {
            print(s)
            fflush(stdout)
        }
    }
}
