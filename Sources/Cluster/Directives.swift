import Wire

/// A line for the role's log; `verbose` lines are printed only with `--verbose`.
public struct LogLine: Equatable, Sendable {
    public var text: String
    public var verbose: Bool

    public init(_ text: String, verbose: Bool = false) {
        self.text = text
        self.verbose = verbose
    }
}

/// What the coordinator's shell must do after an event: send a message to one peer, or log.
public enum CoordinatorDirective: Equatable, Sendable {
    case send(PeerAddress, Message)
    case log(LogLine)
}
