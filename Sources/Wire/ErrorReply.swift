/// The `code` of an `error` message (Docs/PROTOCOL.md §5). Raw values are wire values.
public enum ErrorCode: UInt16, CaseIterable, Sendable {
    /// The message could not be decoded; the text is the `WireError`.
    case malformed = 1
    /// Header or hello version is not ours; fatal for the peer.
    case unsupportedVersion = 2
    /// Needs a `hello` first, or the peer was declared dead: say hello again.
    case notRegistered = 3
    /// This role may not send this kind.
    case roleNotAllowed = 4
    case unknownTask = 5
    /// An episode's actor id is not the sender's.
    case invalidEpisode = 6
    /// `publishWeights` with a version not newer than the current one.
    case staleWeights = 7
    /// A second learner said hello.
    case learnerPresent = 8
    /// Too many peers; retry after the backoff.
    case overloaded = 9
    case `internal` = 10

    /// The peer must stop rather than say hello again: it speaks another protocol, or its place
    /// (the one learner) is taken — for as long as a dead learner may still be registered the
    /// link asks again first (PeerLink). Every other code concerns one message, or asks for a retry.
    public var isFinal: Bool { self == .unsupportedVersion || self == .learnerPresent }
}

/// Body of `error`: a code for programs and a sentence for people.
public struct ErrorReply: Equatable, Sendable {
    public var code: ErrorCode
    public var message: String

    public init(code: ErrorCode, message: String) {
        self.code = code
        self.message = message
    }

    func write(into w: inout ByteWriter) {
        w.integer(code.rawValue)
        w.string(message)
    }

    init(reading r: inout ByteReader) throws(WireError) {
        let raw = try r.integer(UInt16.self, "error.code")
        guard let code = ErrorCode(rawValue: raw) else { throw .invalidEnum(field: "error.code", value: Int(raw)) }
        self.code = code
        message = try r.string("error.message", maxBytes: WireLimits.maxTextBytes)
    }
}
