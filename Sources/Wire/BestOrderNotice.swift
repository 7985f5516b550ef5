/// The cheapest order the learner has found for one task, with its cost in multiplications.
public struct BestOrderNotice: Equatable, Sendable {
    public var taskIndex: UInt32
    public var cost: UInt64
    public var order: [Int32]

    public init(taskIndex: UInt32, cost: UInt64, order: [Int32]) {
        self.taskIndex = taskIndex
        self.cost = cost
        self.order = order
    }

    func write(into w: inout ByteWriter) {
        w.integer(taskIndex)
        w.integer(cost)
        w.count(order.count)
        w.int32s(order)
    }

    init(reading r: inout ByteReader) throws(WireError) {
        taskIndex = try r.integer(UInt32.self, "bestOrder.taskIndex")
        cost = try r.integer(UInt64.self, "bestOrder.cost")
        let n = try r.count("bestOrder.order", limit: WireLimits.maxOrderLength, elementBytes: 4)
        guard n > 0 else { throw .invalidValue(field: "bestOrder.order", reason: "must not be empty") }
        order = try r.int32s(count: n, "bestOrder.order")
    }
}

/// The coordinator accepting a learner's `publishWeights` (value = version) or `bestOrder`
/// (value = task index).
public struct Ack: Equatable, Sendable {
    public var ackedKind: MessageKind
    public var value: UInt64

    public init(ackedKind: MessageKind, value: UInt64) {
        self.ackedKind = ackedKind
        self.value = value
    }

    func write(into w: inout ByteWriter) {
        w.integer(ackedKind.rawValue)
        w.integer(value)
    }

    init(reading r: inout ByteReader) throws(WireError) {
        let raw = try r.integer(UInt16.self, "ack.ackedKind")
        guard let kind = MessageKind(rawValue: raw) else { throw .invalidEnum(field: "ack.ackedKind", value: Int(raw)) }
        ackedKind = kind
        value = try r.integer(UInt64.self, "ack.value")
    }
}
