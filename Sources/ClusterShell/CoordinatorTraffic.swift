/// What went through the coordinator's ROUTER since it started, the CPU time its loop used and
/// the peers it declared dead: the figures `ccelim bench coordinator` reads (bytes per update,
/// coordinator CPU). Frames are counted as libzmq carries them, the routing-id frame included.
public struct CoordinatorTraffic: Equatable, Sendable {
    public var messagesIn = 0
    public var bytesIn = 0
    public var messagesOut = 0
    public var bytesOut = 0
    /// CPU seconds of the thread running `CoordinatorServer.run` (its poll loop, the core and the codec).
    public var cpuSeconds: Double = 0
    /// Peers the core has declared dead so far (not a difference in `since`: the later count).
    public var deadPeers: UInt64 = 0

    public init() {}

    /// Bytes in and out.
    public var bytes: Int { bytesIn + bytesOut }

    /// What happened between `earlier` and this snapshot.
    public func since(_ earlier: CoordinatorTraffic) -> CoordinatorTraffic {
        var d = CoordinatorTraffic()
        d.messagesIn = messagesIn - earlier.messagesIn
        d.bytesIn = bytesIn - earlier.bytesIn
        d.messagesOut = messagesOut - earlier.messagesOut
        d.bytesOut = bytesOut - earlier.bytesOut
        d.cpuSeconds = cpuSeconds - earlier.cpuSeconds
        d.deadPeers = deadPeers
        return d
    }
}
