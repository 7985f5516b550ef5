/// Body of `trainingOver` (kind 22, Docs/PROTOCOL.md §3): the learner has stopped training for
/// good, so no game played from now on will be trained on. The learner sends it to the
/// coordinator, which passes it on, unchanged, to every actor (at once, and as the answer to every
/// later `weightsRequest`); an actor that gets it stops and exits 0.
public struct TrainingOver: Equatable, Sendable {
    /// Why training ended. Raw values are wire values.
    public enum Reason: UInt8, CaseIterable, Sendable {
        /// The learner's updates are done (`[learner] updates`, `--updates`).
        case budgetReached = 1
        /// The learner stopped training to decode its final weights (`--final-decode-seconds`),
        /// whatever stopped it: its updates, or `ccelim train --minutes` leaving the decode its
        /// last seconds.
        case finalDecode = 2

        /// How log lines say it.
        public var text: String {
            switch self {
            case .budgetReached: "the learner's updates are done"
            case .finalDecode: "the learner stopped training for its final decode"
            }
        }
    }

    /// The newest weights version the learner trained and published (0: none): what the actors'
    /// last games were worth, for their logs.
    public var lastVersion: UInt64
    public var reason: Reason

    public init(lastVersion: UInt64, reason: Reason) {
        self.lastVersion = lastVersion
        self.reason = reason
    }

    /// One line for people: "training is over: the learner's updates are done (last weights v12)".
    public var description: String { "training is over: \(reason.text) (last weights v\(lastVersion))" }

    func write(into w: inout ByteWriter) {
        w.integer(lastVersion)
        w.integer(reason.rawValue)
    }

    init(reading r: inout ByteReader) throws(WireError) {
        lastVersion = try r.integer(UInt64.self, "trainingOver.lastVersion")
        let raw = try r.integer(UInt8.self, "trainingOver.reason")
        guard let reason = Reason(rawValue: raw) else {
            throw .invalidEnum(field: "trainingOver.reason", value: Int(raw))
        }
        self.reason = reason
    }
}
