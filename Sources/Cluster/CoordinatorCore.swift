import Wire

/// The coordinator's protocol logic (Docs/PROTOCOL.md §4–5) as a value with no I/O: it takes the
/// frames a peer sent and the time, and returns what to send and what to log. Owns membership
/// (hello → welcome with a fresh id, liveness), episode routing to the one learner, the newest
/// weights, the best order per task, backpressure, the status table, and the end of training
/// (the learner's `trainingOver`, passed on to every actor).
public struct CoordinatorCore: Sendable {
    public let settings: CoordinatorSettings
    private(set) var peers: [PeerAddress: CoordinatorPeer] = [:]
    private(set) var learner: PeerAddress?
    /// The newest weights a learner published (nil before the first).
    public private(set) var weights: Weights?
    /// Cheapest order per task index.
    public private(set) var best: [BestOrderNotice?]
    /// Episodes accepted from actors over the run (a dead actor's episodes stay counted once).
    public private(set) var episodesReceived: UInt64 = 0
    /// Episodes waiting here because no learner is registered (oldest dropped beyond the bound).
    private(set) var waiting: [EpisodeRecord] = []
    /// AlphaZero games waiting likewise (a run routes one kind: `settings.algorithm`'s).
    private(set) var waitingSearchGames: [SearchGameRecord] = []
    public private(set) var droppedWithoutLearner: UInt64 = 0
    /// Episodes handed to the learner since its last `publishWeights`, less those it reported it
    /// will never train on (`episodesDropped`): the backpressure gauge. Refused forgeries
    /// therefore stop holding back honest actors as soon as the learner has judged them.
    private(set) var forwardedSincePublish = 0
    /// Episodes the learner reported it dropped (`episodesDropped`), over the run.
    public private(set) var droppedByLearner: UInt64 = 0
    /// Actors whose `weightsRequest` waits for the learner to catch up, with the version they hold.
    /// In arrival order, so release is first come, first served.
    private(set) var held: [(address: PeerAddress, have: UInt64)] = []
    /// Actors told to play a batch whose episodes have not come yet: each will bring
    /// `environmentsPerActor`. Counted as pending, so a fleet never overshoots the bound (two
    /// actors and a bound of one update: the first to finish waits for the second).
    private(set) var playing: Set<PeerAddress> = []
    /// Actors asked (by the learner) for a gradient they have not sent yet: actor → round. If the
    /// actor dies, the learner is told so at once and computes that shard itself.
    private(set) var gradientOwed: [PeerAddress: UInt64] = [:]
    /// The learner's `trainingOver`, once it came; nil while training goes on. While set, every
    /// actor has been told, each later actor `weightsRequest` is answered with it, and games that
    /// still arrive are counted and dropped. A learner's `hello` (a new training) clears it.
    public private(set) var trainingOver: TrainingOver?
    /// Games (episodes or search games) that reached the coordinator after training was over:
    /// counted as received, never forwarded nor held (Docs/PROTOCOL.md §3, `trainingOver`).
    public private(set) var droppedAfterTraining: UInt64 = 0
    public private(set) var refusedMessages: UInt64 = 0
    public private(set) var deadPeers: UInt64 = 0
    private var nextActorId: UInt32 = 1
    /// Learner and status ids come from another range so actor ids stay 1, 2, 3… in hello
    /// order whatever the learner does (the synchronous mode relies on actor 1 being actor 1).
    private var nextServiceId: UInt32 = 1 << 31

    public init(settings: CoordinatorSettings) {
        self.settings = settings
        best = Array(repeating: nil, count: settings.tasks.count)
    }

    public var registeredPeerCount: Int { peers.count }
    public var hasLearner: Bool { learner != nil }
    public var weightsVersion: UInt64 { weights?.version ?? 0 }
    /// Episodes the learner has not caught up with yet (held back or in its queue).
    var pendingForLearner: Int {
        (learner == nil ? waiting.count + waitingSearchGames.count : forwardedSincePublish) + playing.count
            * settings.environmentsPerActor
    }

    // MARK: Events

    /// One message from `address`, as raw frames (after the routing id). Malformed input is
    /// refused with `error(malformed)` and never changes any state but the refusal counter.
    public mutating func receive(_ frames: [[UInt8]], from address: PeerAddress, now: Int) -> [CoordinatorDirective] {
        if peers[address] != nil { peers[address]!.lastHeardMs = now }
        let message: Message
        do {
            message = try Wire.decode(frames: frames)
        } catch {
            refusedMessages += 1
            let code: ErrorCode = if case .unsupportedVersion = error { .unsupportedVersion } else { .malformed }
            // A flood of garbage must not flood the log: the first few, then every 1000th.
            let shouldLog = refusedMessages <= 10 || refusedMessages % 1000 == 0
            var out: [CoordinatorDirective] = []
            if shouldLog {
                out.append(
                    .log(
                        LogLine(
                            "refused a message from \(describe(address)): \(error) (\(refusedMessages) refused so far)")
                    ))
            }
            out.append(send(.error(ErrorReply(code: code, message: error.description)), to: address, now: now))
            return out
        }
        return handle(message, from: address, now: now)
    }

    /// Heartbeats to peers it has been quiet towards, and deaths of peers that went silent.
    public mutating func tick(now: Int) -> [CoordinatorDirective] {
        var out: [CoordinatorDirective] = []
        for address in peers.keys.sorted(by: { peers[$0]!.id < peers[$1]!.id }) {
            let peer = peers[address]!
            if now - peer.lastHeardMs > settings.deadAfterMs {
                out.append(
                    .log(
                        LogLine(
                            "\(peer.name) declared dead: silent for \(now - peer.lastHeardMs) ms (limit \(settings.deadAfterMs) ms)"
                        )))
                out += forget(address, now: now)
                deadPeers += 1
                out += releaseHeld(now: now)
                continue
            }
            peers[address]!.rate.record(total: peer.episodes, now: now)
            if now - peer.lastSentMs >= settings.heartbeatIntervalMs {
                out.append(send(.heartbeat, to: address, now: now))
            }
        }
        return out
    }

    /// The ROUTER could not deliver to `address` (EHOSTUNREACH): the peer is gone.
    public mutating func peerUnreachable(_ address: PeerAddress, now: Int = 0) -> [CoordinatorDirective] {
        guard let peer = peers[address] else { return [] }
        let out = forget(address, now: now)
        deadPeers += 1
        // On one machine or a LAN the TCP connection of a killed process closes at once, so this
        // usually comes before the liveness timeout; both are the same verdict.
        // Its promised batch will not come: actors held behind it may go on.
        return [.log(LogLine("\(peer.name) declared dead: its connection is gone (unreachable)"))] + out
            + releaseHeld(now: now)
    }

    /// `shutdown` to every registered peer (the coordinator is exiting).
    public mutating func shutdown(reason: String, now: Int) -> [CoordinatorDirective] {
        peers.values.sorted { $0.id < $1.id }.map { send(.shutdown(reason: reason), to: $0.address, now: now) }
    }

    public func status(now: Int) -> StatusReply {
        StatusReply(
            weightsVersion: weightsVersion,
            peers: peers.values.sorted { $0.id < $1.id }.map {
                PeerStatus(
                    id: $0.id, role: $0.role, host: $0.hello.host, pid: $0.hello.pid,
                    lastSeenMsAgo: UInt64(max(0, now - $0.lastHeardMs)), episodes: $0.episodes,
                    episodesPerSecond: $0.rate.perSecond(now: now))
            },
            tasks: settings.tasks.indices.map { TaskStatus(name: settings.tasks[$0].name, bestCost: best[$0]?.cost) })
    }

    // MARK: Messages

    private mutating func handle(_ message: Message, from address: PeerAddress, now: Int) -> [CoordinatorDirective] {
        switch message {
        case let .hello(hello):
            return register(hello, address: address, now: now)
        case .statusRequest:
            return [send(.statusReply(status(now: now)), to: address, now: now)]
        case let .error(reply):
            return [.log(LogLine("\(describe(address)) reported error \(reply.code): \(reply.message)"))]
        case .welcome, .weights, .noNewWeights, .shutdown, .ack, .statusReply:
            return refuse(.roleNotAllowed, "the coordinator does not accept \(message.kind)", to: address, now: now)
        case .heartbeat, .goodbye, .episodes, .searchGames, .weightsRequest, .publishWeights, .bestOrder,
            .gradientJob, .gradientRequest, .gradient, .gradientUnavailable, .episodesDropped, .trainingOver:
            break
        }
        guard let peer = peers[address] else {
            return refuse(
                .notRegistered, "\(message.kind) needs a hello first (or you were declared dead): say hello again",
                to: address, now: now, log: true)
        }
        switch message {
        case .heartbeat:
            return []
        case .goodbye:
            // Leaving on purpose: forgotten now, not counted as a death.
            return [.log(LogLine("\(peer.name) left"))] + forget(address, now: now) + releaseHeld(now: now)
        case let .episodes(list):
            return acceptGames(list, from: peer, now: now, waiting: \.waiting)
        case let .searchGames(list):
            return acceptGames(list, from: peer, now: now, waiting: \.waitingSearchGames)
        case let .weightsRequest(have):
            guard peer.role == .actor else {
                return refuse(.roleNotAllowed, "only actors request weights", to: address, now: now)
            }
            // This actor's own promise (if any) is over: it is asking because it finished.
            playing.remove(address)
            if let trainingOver {
                // Missed the news (reconnected, or said hello since): the answer is the news.
                return [send(.trainingOver(trainingOver), to: address, now: now)]
            }
            if pendingForLearner >= settings.maxQueuedEpisodes {
                held.removeAll { $0.address == address }
                held.append((address, have))
                return [
                    .log(
                        LogLine(
                            "\(peer.name) waits: \(pendingForLearner) episodes pending for the learner", verbose: true))
                ]
            }
            return [answerWeightsRequest(have: have, to: address, now: now)]
        case let .publishWeights(w):
            guard peer.role == .learner else {
                return refuse(.roleNotAllowed, "only the learner publishes weights", to: address, now: now)
            }
            return acceptWeights(w, from: address, now: now)
        case let .bestOrder(b):
            guard peer.role == .learner else {
                return refuse(.roleNotAllowed, "only the learner sends best orders", to: address, now: now)
            }
            guard Int(b.taskIndex) < settings.tasks.count else {
                return refuse(
                    .unknownTask, "task index \(b.taskIndex) is outside the \(settings.tasks.count) tasks", to: address,
                    now: now)
            }
            var out: [CoordinatorDirective] = []
            if best[Int(b.taskIndex)].map({ b.cost < $0.cost }) ?? true {
                best[Int(b.taskIndex)] = b
                out.append(.log(LogLine("best order for \(settings.tasks[Int(b.taskIndex)].name): cost \(b.cost)")))
            }
            out.append(send(.ack(Ack(ackedKind: .bestOrder, value: UInt64(b.taskIndex))), to: address, now: now))
            return out
        case let .gradientJob(job):
            guard peer.role == .learner else {
                return refuse(.roleNotAllowed, "only the learner sends gradient jobs", to: address, now: now)
            }
            return routeToActor(message, actorId: job.actorId, round: job.round, now: now)
        case let .gradientRequest(request):
            guard peer.role == .learner else {
                return refuse(.roleNotAllowed, "only the learner requests gradients", to: address, now: now)
            }
            return routeToActor(message, actorId: request.actorId, round: request.round, now: now)
        case let .gradient(g):
            guard peer.role == .actor else {
                return refuse(.roleNotAllowed, "only actors send gradients", to: address, now: now)
            }
            guard g.actorId == peer.id else {
                return refuse(
                    .invalidEpisode, "gradient tagged actor \(g.actorId), but you are actor \(peer.id)", to: address,
                    now: now, log: true)
            }
            if gradientOwed[address] == g.round { gradientOwed[address] = nil }
            guard let learner else {
                return [.log(LogLine("dropped a gradient from \(peer.name): no learner", verbose: true))]
            }
            return [send(message, to: learner, now: now)]
        case let .episodesDropped(count):
            guard peer.role == .learner else {
                return refuse(.roleNotAllowed, "only the learner reports dropped episodes", to: address, now: now)
            }
            droppedByLearner += UInt64(count)
            // Never below zero: a report that crosses a publish (which already reset the gauge)
            // can let the bound overshoot by that many episodes; the learner's own bound absorbs it.
            forwardedSincePublish -= min(Int(count), forwardedSincePublish)
            return [.log(LogLine("learner dropped \(count) episode(s); \(pendingForLearner) pending", verbose: true))]
                + releaseHeld(now: now)
        case let .trainingOver(notice):
            guard peer.role == .learner else {
                return refuse(.roleNotAllowed, "only the learner says training is over", to: address, now: now)
            }
            return endTraining(notice, now: now)
        case let .gradientUnavailable(u):
            guard peer.role == .actor, u.actorId == peer.id else {
                return refuse(
                    .roleNotAllowed, "only the actor named in it reports a gradient unavailable", to: address, now: now)
            }
            gradientOwed[address] = nil
            guard let learner else { return [] }
            return [send(message, to: learner, now: now)]
        default:
            return []
        }
    }

    /// The learner stopped training for good: every actor hears it now (a batch in play would
    /// train nothing, and its cores are the final decode's), and nothing is held any longer. A
    /// second notice changes nothing.
    private mutating func endTraining(_ notice: TrainingOver, now: Int) -> [CoordinatorDirective] {
        if let current = trainingOver {
            return [
                .log(
                    LogLine(
                        "the learner said again that training is over (\(notice.reason.text), v\(notice.lastVersion)); it has been since v\(current.lastVersion)",
                        verbose: true))
            ]
        }
        trainingOver = notice
        held = []
        playing = []
        let actors = peers.values.filter { $0.role == .actor }.sorted { $0.id < $1.id }
        return [.log(LogLine("\(notice.description); telling \(actors.count) actor(s) to stop"))]
            + actors.map { send(.trainingOver(notice), to: $0.address, now: now) }
    }

    /// A learner's gradient job or request goes to the actor it names; if that actor is not
    /// registered (it died, or never was), the learner hears so at once.
    private mutating func routeToActor(
        _ message: Message, actorId: UInt32, round: UInt64, now: Int
    ) -> [CoordinatorDirective] {
        guard let actor = peers.values.first(where: { $0.role == .actor && $0.id == actorId }) else {
            guard let learner else { return [] }
            return [
                send(
                    .gradientUnavailable(
                        GradientUnavailable(
                            actorId: actorId, round: round, reason: "actor \(actorId) is not registered")),
                    to: learner, now: now)
            ]
        }
        gradientOwed[actor.address] = round
        return [send(message, to: actor.address, now: now)]
    }

    private mutating func register(_ hello: Hello, address: PeerAddress, now: Int) -> [CoordinatorDirective] {
        var out: [CoordinatorDirective] = []
        if let old = peers[address] {
            // The same socket saying hello again (after `notRegistered`, or a restart of its loop).
            out.append(.log(LogLine("\(old.name) said hello again; re-registering", verbose: true)))
            out += forget(address, now: now)
        }
        if hello.role == .learner, let current = learner, current != address {
            return refuse(
                .learnerPresent, "a learner is already registered (\(peers[current]!.name))", to: address, now: now,
                log: true)
        }
        guard hello.role == .status || peers.count < settings.maxPeers else {
            return refuse(
                .overloaded, "the coordinator has \(peers.count) peers, its limit", to: address, now: now, log: true)
        }
        let id: UInt32
        if hello.role == .actor {
            id = nextActorId
            nextActorId &+= 1
        } else {
            id = nextServiceId
            nextServiceId &+= 1
        }
        let welcome = Welcome(
            actorId: id, heartbeatIntervalMs: UInt32(settings.heartbeatIntervalMs),
            environmentsPerActor: hello.role == .actor ? UInt32(settings.environmentsPerActor) : 0,
            seed: settings.seed, weightsVersion: weightsVersion, algorithm: settings.algorithm,
            search: settings.search, tasks: hello.role == .status ? [] : settings.tasks)
        // Status clients come and go; they are answered but not tracked.
        guard hello.role != .status else { return [send(.welcome(welcome), to: address, now: now)] }
        let peer = CoordinatorPeer(
            id: id, address: address, hello: hello, lastHeardMs: now, lastSentMs: now,
            rate: RateMeter(windowMs: settings.heartbeatIntervalMs * 5))
        peers[address] = peer
        out.append(.log(LogLine("\(peer.name) registered (\(hello.cores) cores, actor index \(hello.actorIndex))")))
        out.append(send(.welcome(welcome), to: address, now: now))
        if hello.role == .learner {
            learner = address
            forwardedSincePublish = 0
            if let over = trainingOver {
                // A new training (the run resumed, or a new run): actors that say hello now play for it.
                trainingOver = nil
                out.append(
                    .log(LogLine("\(peer.name) starts a new training (the last one ended at v\(over.lastVersion))")))
            }
            // Games that arrived while no learner was there go to it now, in arrival order.
            out += flush(\.waiting, now: now) + flush(\.waitingSearchGames, now: now)
            out += releaseHeld(now: now)
        }
        return out
    }

    /// An actor's finished games (PPO `episodes` or AlphaZero `searchGames`, only the run's own
    /// kind): checked, counted once, forwarded to the learner or held for one.
    private mutating func acceptGames<Record: ActorGameRecord>(
        _ list: [Record], from peer: CoordinatorPeer, now: Int, waiting: WritableKeyPath<Self, [Record]>
    ) -> [CoordinatorDirective] {
        guard peer.role == .actor else {
            return refuse(.roleNotAllowed, "only actors send \(Record.kind)", to: peer.address, now: now)
        }
        guard Record.algorithm == settings.algorithm else {
            return refuse(
                .roleNotAllowed,
                "this run trains \(settings.algorithm.name): its actors send \(settings.algorithm.gamesKind), not \(Record.kind)",
                to: peer.address, now: now, log: true)
        }
        if let bad = list.first(where: { $0.actorId != peer.id }) {
            return refuse(
                .invalidEpisode, "\(Record.kind) tagged actor \(bad.actorId), but you are actor \(peer.id)",
                to: peer.address, now: now, log: true)
        }
        if let bad = list.first(where: { Int($0.taskIndex) >= settings.tasks.count }) {
            return refuse(
                .unknownTask, "task index \(bad.taskIndex) is outside the \(settings.tasks.count) tasks",
                to: peer.address, now: now, log: true)
        }
        peers[peer.address]!.episodes += UInt64(list.count)
        episodesReceived += UInt64(list.count)
        playing.remove(peer.address)
        if trainingOver != nil {
            // Played before the actor heard that training is over: nobody will train on them.
            droppedAfterTraining += UInt64(list.count)
            return [
                .log(
                    LogLine(
                        "dropped \(list.count) \(Record.kind) from \(peer.name): training is over (\(droppedAfterTraining) so far)",
                        verbose: true))
            ]
        }
        if learner != nil { return forward(list, now: now) }
        self[keyPath: waiting] += list
        let excess = self[keyPath: waiting].count - settings.maxQueuedEpisodes
        if excess > 0 {
            self[keyPath: waiting].removeFirst(excess)
            droppedWithoutLearner += UInt64(excess)
            return [
                .log(
                    LogLine(
                        "no learner: dropped the \(excess) oldest waiting \(Record.kind) (\(droppedWithoutLearner) so far)",
                        verbose: true))
            ]
        }
        return []
    }

    /// Everything in `waiting` to the (new) learner, in arrival order and in messages it accepts.
    private mutating func flush<Record: ActorGameRecord>(
        _ waiting: WritableKeyPath<Self, [Record]>, now: Int
    ) -> [CoordinatorDirective] {
        var pending = self[keyPath: waiting][...]
        self[keyPath: waiting] = []
        var out: [CoordinatorDirective] = []
        while !pending.isEmpty {
            let chunk = Array(pending.prefix(WireLimits.maxEpisodesPerMessage))
            pending = pending.dropFirst(chunk.count)
            out += forward(chunk, now: now)
        }
        return out
    }

    private mutating func forward<Record: ActorGameRecord>(_ list: [Record], now: Int) -> [CoordinatorDirective] {
        guard let learner, !list.isEmpty else { return [] }
        peers[learner]!.episodes += UInt64(list.count)
        forwardedSincePublish += list.count
        return [send(Record.message(list), to: learner, now: now)]
    }

    private mutating func acceptWeights(_ w: Weights, from address: PeerAddress, now: Int) -> [CoordinatorDirective] {
        guard w.version > weightsVersion else {
            return refuse(
                .staleWeights, "version \(w.version) is not newer than \(weightsVersion)", to: address, now: now,
                log: true)
        }
        weights = w
        forwardedSincePublish = 0
        return [
            .log(
                LogLine(
                    "weights v\(w.version) (\(w.parameters.count) parameters, checksum \(String(w.checksum, radix: 16)))",
                    verbose: true)),
            send(.ack(Ack(ackedKind: .publishWeights, value: w.version)), to: address, now: now),
        ] + releaseHeld(now: now)
    }

    /// Once the learner caught up (or a new one came), waiting actors get their answers, first
    /// come first served, as long as what they will play stays within the bound.
    private mutating func releaseHeld(now: Int) -> [CoordinatorDirective] {
        var out: [CoordinatorDirective] = []
        while let next = held.first, pendingForLearner < settings.maxQueuedEpisodes {
            held.removeFirst()
            if peers[next.address] != nil {
                out.append(answerWeightsRequest(have: next.have, to: next.address, now: now))
            }
        }
        return out
    }

    private mutating func answerWeightsRequest(have: UInt64, to address: PeerAddress, now: Int) -> CoordinatorDirective
    {
        // The answer sends the actor playing.
        playing.insert(address)
        if let weights, weights.version > have { return send(.weights(weights), to: address, now: now) }
        return send(.noNewWeights(currentVersion: weightsVersion), to: address, now: now)
    }

    // MARK: Helpers

    private mutating func send(_ message: Message, to address: PeerAddress, now: Int) -> CoordinatorDirective {
        if peers[address] != nil { peers[address]!.lastSentMs = now }
        return .send(address, message)
    }

    private mutating func refuse(
        _ code: ErrorCode, _ text: String, to address: PeerAddress, now: Int, log: Bool = false
    ) -> [CoordinatorDirective] {
        refusedMessages += 1
        var out: [CoordinatorDirective] = []
        if log { out.append(.log(LogLine("refused \(describe(address)): \(code): \(text)"))) }
        out.append(send(.error(ErrorReply(code: code, message: text)), to: address, now: now))
        return out
    }

    /// Drops a peer. An actor that owed the learner a gradient is reported to it as unavailable.
    @discardableResult
    private mutating func forget(_ address: PeerAddress, now: Int = 0) -> [CoordinatorDirective] {
        var out: [CoordinatorDirective] = []
        if let round = gradientOwed.removeValue(forKey: address), let peer = peers[address], let learner,
            learner != address
        {
            out.append(
                send(
                    .gradientUnavailable(
                        GradientUnavailable(actorId: peer.id, round: round, reason: "\(peer.name) is gone")),
                    to: learner, now: now))
        }
        peers[address] = nil
        held.removeAll { $0.address == address }
        playing.remove(address)
        if learner == address {
            learner = nil
            forwardedSincePublish = 0
            gradientOwed = [:]
        }
        return out
    }

    private func describe(_ address: PeerAddress) -> String {
        peers[address]?.name ?? "unregistered peer \(address)"
    }
}
