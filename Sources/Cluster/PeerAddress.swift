/// A peer as the coordinator's ROUTER sees it: the routing id libzmq put in front of its frames.
/// Opaque bytes; a reconnecting peer gets a new one, so it is a new peer.
public struct PeerAddress: Hashable, Sendable, CustomStringConvertible {
    public let bytes: [UInt8]

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public var description: String { bytes.map { String($0, radix: 16) }.joined() }
}
