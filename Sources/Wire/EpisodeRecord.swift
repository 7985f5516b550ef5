/// One finished episode as an actor reports it. The learner replays `order` on its own copy of
/// the graph for rewards and tokens, so only what it cannot recompute travels: the behaviour
/// policy's log-probabilities and the version of the weights that produced them.
public struct EpisodeRecord: Equatable, Sendable {
    public var taskIndex: UInt32
    public var policyVersion: UInt64
    public var actorId: UInt32
    /// Eliminated vertex ids, in order.
    public var order: [Int32]
    /// log π(a_t | s_t) per step; same count as `order` (the decoder checks). NaN is carried as is.
    public var logProbs: [Float]

    public init(taskIndex: UInt32, policyVersion: UInt64, actorId: UInt32, order: [Int32], logProbs: [Float]) {
        self.taskIndex = taskIndex
        self.policyVersion = policyVersion
        self.actorId = actorId
        self.order = order
        self.logProbs = logProbs
    }

    func write(into w: inout ByteWriter) {
        w.integer(taskIndex)
        w.integer(policyVersion)
        w.integer(actorId)
        w.count(order.count)
        w.int32s(order)
        w.count(logProbs.count)
        w.float32s(logProbs)
    }

    /// `list` names the list the episode is in, for errors ("gradientJob.episodes[2].order").
    init(reading r: inout ByteReader, index i: Int, list: String = "episodes") throws(WireError) {
        taskIndex = try r.integer(UInt32.self, "\(list)[\(i)].taskIndex")
        policyVersion = try r.integer(UInt64.self, "\(list)[\(i)].policyVersion")
        actorId = try r.integer(UInt32.self, "\(list)[\(i)].actorId")
        let steps = try r.count("\(list)[\(i)].order", limit: WireLimits.maxOrderLength, elementBytes: 4)
        guard steps > 0 else {
            throw .invalidValue(field: "\(list)[\(i)].order", reason: "an episode has at least one step")
        }
        order = try r.int32s(count: steps, "\(list)[\(i)].order")
        let logpCount = try r.count("\(list)[\(i)].logProbs", limit: WireLimits.maxOrderLength, elementBytes: 4)
        guard logpCount == steps else {
            throw .lengthMismatch(field: "\(list)[\(i)].logProbs", expected: steps, actual: logpCount)
        }
        logProbs = try r.float32s(count: logpCount, "\(list)[\(i)].logProbs")
    }

    /// The smallest an encoded episode can be (one step): lets the batch count be checked
    /// against the bytes left before anything is allocated.
    static let minimumEncodedBytes = 4 + 8 + 4 + 4 + 4 + 4 + 4
}
