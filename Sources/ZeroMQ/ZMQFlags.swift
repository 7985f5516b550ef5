internal import CZeroMQ

/// Flags of `send` and `receive`.
public struct ZMQFlags: OptionSet, Sendable {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// Do not block: `send` returns false and `receive` returns nil when they would have to wait.
    public static let dontWait = ZMQFlags(rawValue: ZMQ_DONTWAIT)
}
