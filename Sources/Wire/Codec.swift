/// Frames of one message: the header, then the body frames its kind fixes. Never fails; limits
/// are enforced by the receiving `decode`.
public func encode(_ message: Message) -> [[UInt8]] {
    var frames = [MessageHeader.encode(message.kind)]
    func body(capacity: Int = 64, _ write: (inout ByteWriter) -> Void) {
        var w = ByteWriter(capacity: capacity)
        write(&w)
        frames.append(w.bytes)
    }
    switch message {
    case let .hello(h): body { h.write(into: &$0) }
    case let .welcome(w):
        body(capacity: w.tasks.reduce(64) { $0 + 8 + $1.name.utf8.count + $1.graphText.utf8.count }) {
            w.write(into: &$0)
        }
    case .heartbeat, .statusRequest, .goodbye: break
    case let .episodes(list):
        body(capacity: list.reduce(4) { $0 + EpisodeRecord.minimumEncodedBytes + 8 * $1.order.count }) { w in
            w.count(list.count)
            for e in list { e.write(into: &w) }
        }
    case let .weightsRequest(v): body { $0.integer(v) }
    case let .weights(weights), let .publishWeights(weights):
        body { weights.writeMeta(into: &$0) }
        body(capacity: 4 * weights.parameters.count) { weights.writeParameters(into: &$0) }
    case let .noNewWeights(v): body { $0.integer(v) }
    case let .error(e): body { e.write(into: &$0) }
    case let .shutdown(reason): body { $0.string(reason) }
    case let .bestOrder(b): body { b.write(into: &$0) }
    case let .ack(a): body { a.write(into: &$0) }
    case let .statusReply(s): body { s.write(into: &$0) }
    case let .gradientJob(j): body(capacity: j.approximateEncodedBytes) { j.write(into: &$0) }
    case let .gradientRequest(g):
        body { g.writeMeta(into: &$0) }
        body(capacity: 4 * g.parameters.count) { $0.float32s(g.parameters) }
    case let .gradient(g):
        body { g.writeMeta(into: &$0) }
        body(capacity: 4 * g.gradient.count) { $0.float32s(g.gradient) }
    case let .gradientUnavailable(u): body { u.write(into: &$0) }
    case let .episodesDropped(count): body { $0.integer(count) }
    case let .trainingOver(t): body { t.write(into: &$0) }
    case let .searchGames(list):
        body(
            capacity: list.reduce(4) {
                $0 + SearchGameRecord.minimumEncodedBytes + 4 * ($1.order.count + $1.policies.count)
            }
        ) { w in
            w.count(list.count)
            for g in list { g.write(into: &w) }
        }
    }
    return frames
}

/// Decodes one message, refusing anything that is not exactly a valid encoding: wrong magic,
/// version or kind, wrong frame count, any length or count beyond its limit or beyond the
/// bytes present, invalid UTF-8, mismatched lengths, undefined enum values, trailing bytes, a
/// weights, parameters or gradient checksum that does not match. Any byte string either decodes or throws; none crashes.
public func decode(frames: [[UInt8]]) throws(WireError) -> Message {
    guard let header = frames.first else { throw .noFrames }
    // Summed with overflow checks so a pathological frame list cannot trap.
    var total = 0
    for f in frames {
        let (sum, overflow) = total.addingReportingOverflow(f.count)
        total = overflow ? .max : sum
    }
    guard total <= WireLimits.maxMessageBytes else {
        throw .messageTooLarge(bytes: total, limit: WireLimits.maxMessageBytes)
    }
    let kind = try MessageHeader.decode(header)
    let bodies = Array(frames.dropFirst())
    guard bodies.count == kind.bodyFrameCount else {
        throw .wrongFrameCount(kind: kind, expected: kind.bodyFrameCount, actual: bodies.count)
    }
    var r = ByteReader(bodies.first ?? [], frame: kind.bodyFrameCount == 2 ? "\(kind).meta" : "\(kind)")
    let message: Message
    switch kind {
    case .heartbeat: return .heartbeat
    case .goodbye: return .goodbye
    case .statusRequest: return .statusRequest
    case .hello: message = .hello(try Hello(reading: &r))
    case .welcome: message = .welcome(try Welcome(reading: &r))
    case .episodes:
        let n = try r.count(
            "episodes", limit: WireLimits.maxEpisodesPerMessage, elementBytes: EpisodeRecord.minimumEncodedBytes)
        guard n > 0 else { throw .invalidValue(field: "episodes", reason: "a batch has at least one episode") }
        var list: [EpisodeRecord] = []
        list.reserveCapacity(n)
        for i in 0..<n { list.append(try EpisodeRecord(reading: &r, index: i)) }
        message = .episodes(list)
    case .weightsRequest:
        message = .weightsRequest(haveVersion: try r.integer(UInt64.self, "weightsRequest.haveVersion"))
    case .weights, .publishWeights:
        var bulk = ByteReader(bodies[1], frame: "\(kind).parameters")
        let w = try Weights(meta: &r, bulk: &bulk, name: "\(kind)")
        message = kind == .weights ? .weights(w) : .publishWeights(w)
    case .noNewWeights:
        message = .noNewWeights(currentVersion: try r.integer(UInt64.self, "noNewWeights.currentVersion"))
    case .error: message = .error(try ErrorReply(reading: &r))
    case .shutdown: message = .shutdown(reason: try r.string("shutdown.reason", maxBytes: WireLimits.maxTextBytes))
    case .bestOrder: message = .bestOrder(try BestOrderNotice(reading: &r))
    case .ack: message = .ack(try Ack(reading: &r))
    case .statusReply: message = .statusReply(try StatusReply(reading: &r))
    case .gradientJob: message = .gradientJob(try GradientJob(reading: &r))
    case .gradientRequest:
        var bulk = ByteReader(bodies[1], frame: "gradientRequest.parameters")
        message = .gradientRequest(try GradientRequest(meta: &r, bulk: &bulk))
    case .gradient:
        var bulk = ByteReader(bodies[1], frame: "gradient.gradient")
        message = .gradient(try GradientReply(meta: &r, bulk: &bulk))
    case .gradientUnavailable: message = .gradientUnavailable(try GradientUnavailable(reading: &r))
    case .episodesDropped:
        let count = try r.integer(UInt32.self, "episodesDropped.count")
        guard count >= 1 else { throw .invalidValue(field: "episodesDropped.count", reason: "must be at least 1") }
        message = .episodesDropped(count: count)
    case .searchGames:
        let n = try r.count(
            "searchGames", limit: WireLimits.maxEpisodesPerMessage, elementBytes: SearchGameRecord.minimumEncodedBytes)
        guard n > 0 else { throw .invalidValue(field: "searchGames", reason: "a batch has at least one game") }
        var list: [SearchGameRecord] = []
        list.reserveCapacity(n)
        for i in 0..<n { list.append(try SearchGameRecord(reading: &r, index: i)) }
        message = .searchGames(list)
    case .trainingOver: message = .trainingOver(try TrainingOver(reading: &r))
    }
    try r.finish()
    return message
}
