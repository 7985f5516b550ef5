import Console
import Wire

/// One registered peer in the coordinator's membership table.
struct CoordinatorPeer: Equatable, Sendable {
    let id: UInt32
    let address: PeerAddress
    let hello: Hello
    /// Last time anything at all arrived from it (any message is a sign of life).
    var lastHeardMs: Int
    /// Last time the coordinator sent it anything (heartbeats fill the gaps).
    var lastSentMs: Int
    /// Episodes received from it (actor) or forwarded to it (learner).
    var episodes: UInt64 = 0
    var rate: RateMeter

    var role: PeerRole { hello.role }

    /// How log lines name it: "actor 3 (host:pid)".
    var name: String { "\(role) \(id) (\(PrintableText.escaped(hello.host, maxCharacters: 255)):\(hello.pid))" }
}
