import Cluster
import ClusterShell
import Console
import Foundation
import PPO
import Randomness
import Wire
import ZeroMQ

/// Many actors that cost no cores (`ccelim bench coordinator`): each is the real `ActorCore`
/// (the real protocol: hello, weights requests, batches, gradient jobs and steps, heartbeats,
/// reconnects) behind its own DEALER socket and identity, but "plays" by handing back a canned
/// batch after `playMs` and "computes" a gradient of zeros after `gradientMs`. `threads` poll
/// loops share the actors; one libzmq context serves every socket.
///
/// What the benchmark reads: batches sent per actor (fairness), when each actor first held each
/// weights version (fan-out), and when the first `gradientRequest` of each (round, step) came
/// (the distributed update's step time).
final class SimulatedFleet: @unchecked Sendable {
    struct Settings {
        var count: Int
        var endpoint: String
        var heartbeatIntervalMs: Int
        var liveness: Int
        var playMs: Int
        var gradientMs: Int
        /// Added to `gradientMs` per episode of the helper's shard: the compute a real helper's
        /// step takes grows with its shard (the benchmark measures it), and the helper reports
        /// it (`computeMicros`) as a real one does.
        var gradientMsPerEpisode: Double = 0
        /// One batch (the coordinator's `environmentsPerActor` episodes); retagged per batch.
        var batch: [Episode]
        /// The gradient a helper returns has this many numbers.
        var parameterCount: Int
        var threads: Int

        /// The simulated compute of one step for a shard of `episodes` episodes, ms.
        func gradientMs(episodes: Int) -> Int {
            gradientMs + Int((gradientMsPerEpisode * Double(episodes)).rounded())
        }
    }

    /// What the fleet saw, merged over its threads.
    struct Observed {
        /// Batches each actor sent (index = actor index in the fleet).
        var batches: [Int]
        /// Per weights version: how many actors have held it (or a newer one), and when the last did.
        var versions: [UInt64: (count: Int, lastMs: Int)]
        /// Per (round, step): when its first `gradientRequest` reached an actor.
        var stepArrivals: [StepKey: Int]
        /// Per round: the actors (fleet indices) asked for a gradient in it, i.e. its helpers.
        var helpers: [UInt64: Set<Int>]
        /// Actors the coordinator told to stop, or that got a fatal refusal.
        var stopped: Int
    }

    struct StepKey: Hashable {
        var round: UInt64
        var step: UInt32
    }

    private let settings: Settings
    private let context: ZMQContext
    private var loops: [Loop] = []
    private var threads: [Thread] = []
    private let finished = DispatchGroup()

    init(_ settings: Settings) throws {
        self.settings = settings
        context = try ZMQContext()
        let t = max(1, min(settings.threads, settings.count))
        let zeros = [Float](repeating: 0, count: settings.parameterCount)
        for k in 0..<t {
            let members = stride(from: k, to: settings.count, by: t).map { i in
                Member(
                    index: i,
                    core: ActorCore(
                        hello: Hello(
                            role: .actor, host: "simulated", pid: UInt32(ProcessInfo.processInfo.processIdentifier),
                            cores: 1, actorIndex: UInt32(i)),
                        heartbeatIntervalMs: settings.heartbeatIntervalMs, liveness: settings.liveness))
            }
            loops.append(Loop(settings: settings, context: context, members: members, zeros: zeros, seed: UInt64(k)))
        }
    }

    func start() {
        for loop in loops {
            finished.enter()
            let thread = Thread { [finished] in
                loop.run()
                finished.leave()
            }
            thread.stackSize = 1 << 22
            threads.append(thread)
            thread.start()
        }
    }

    /// Stops every loop, closes the sockets and returns what was seen.
    func stop() -> Observed {
        for loop in loops { loop.requestStop() }
        finished.wait()
        return observed()
    }

    /// A snapshot while running (each loop's figures under its lock).
    func observed() -> Observed {
        var o = Observed(
            batches: Array(repeating: 0, count: settings.count), versions: [:], stepArrivals: [:], helpers: [:],
            stopped: 0)
        for loop in loops {
            let s = loop.snapshot()
            for (i, n) in s.batches { o.batches[i] = n }
            for (v, r) in s.versions {
                let old = o.versions[v] ?? (0, 0)
                o.versions[v] = (old.count + r.count, max(old.lastMs, r.lastMs))
            }
            for (key, t) in s.stepArrivals { o.stepArrivals[key] = min(o.stepArrivals[key] ?? .max, t) }
            for (round, actors) in s.helpers { o.helpers[round, default: []].formUnion(actors) }
            o.stopped += s.stopped
        }
        return o
    }

    /// Of the two bulky kinds the fleet reads only what `ActorCore` needs (weights: the
    /// version; gradientRequest: actor, round, step); nil for every other message, which goes
    /// through the real decoder. A real actor decodes and checks the whole body on its own
    /// core; N simulated actors share one thread, so decoding N copies here would measure the
    /// fleet, not the coordinator.
    static func skim(_ frames: [[UInt8]]) -> Message? {
        guard frames.count == 3, frames[0].count == 8 else { return nil }
        let kind = UInt16(frames[0][6]) | UInt16(frames[0][7]) << 8
        let meta = frames[1]
        func integer(_ at: Int, _ bytes: Int) -> UInt64 {
            (0..<bytes).reduce(0) { $0 | UInt64(meta[at + $1]) << (8 * $1) }
        }
        switch kind {
        case MessageKind.weights.rawValue where meta.count >= 8:
            return .weights(Weights(version: integer(0, 8), preset: "simulated", parameters: []))
        case MessageKind.gradientRequest.rawValue where meta.count >= 16:
            return .gradientRequest(
                GradientRequest(
                    actorId: UInt32(integer(0, 4)), round: integer(4, 8), step: UInt32(integer(12, 4)),
                    parameters: []))
        default:
            return nil
        }
    }

    /// The `gradient` frames of `template` (an encoded zero-gradient reply) for another actor,
    /// round and step: the meta frame starts with actorId (u32), round (u64), step (u32), little
    /// endian, and the checksum covers only the gradient, so the bulk frame is shared as it is.
    /// computeMicros (u32) is at byte 40, after the six loss figures.
    static func gradientFrames(
        _ template: [[UInt8]], actorId: UInt32, round: UInt64, step: UInt32, computeMicros: UInt32 = 0
    ) -> [[UInt8]] {
        var meta = template[1]
        for k in 0..<4 { meta[k] = UInt8(truncatingIfNeeded: actorId >> (8 * k)) }
        for k in 0..<8 { meta[4 + k] = UInt8(truncatingIfNeeded: round >> (8 * k)) }
        for k in 0..<4 { meta[12 + k] = UInt8(truncatingIfNeeded: step >> (8 * k)) }
        for k in 0..<4 { meta[40 + k] = UInt8(truncatingIfNeeded: computeMicros >> (8 * k)) }
        return [template[0], meta, template[2]]
    }

    // MARK: One poll loop

    private final class Member {
        let index: Int
        var core: ActorCore
        var socket: ZMQSocket?
        /// Work under way and when it is done.
        var work: (due: Int, kind: Work)?
        var heldVersion: UInt64 = 0
        var batches = 0
        var stopped = false

        init(index: Int, core: ActorCore) {
            self.index = index
            self.core = core
        }
    }

    private enum Work {
        case play(task: Int, policyVersion: UInt64)
        case gradient(GradientJob, GradientRequest)
    }

    private final class Loop: @unchecked Sendable {
        let settings: Settings
        let context: ZMQContext
        let members: [Member]
        let zeros: [Float]
        /// A zero gradient encoded once; each reply patches its ids into a copy of the meta frame.
        let template: [[UInt8]]
        var rng: Xoshiro256StarStar
        private let lock = NSLock()
        private var stopRequested = false
        private var versions: [UInt64: (count: Int, lastMs: Int)] = [:]
        private var stepArrivals: [StepKey: Int] = [:]
        private var helpers: [UInt64: Set<Int>] = [:]
        private var poller: (ZMQPoller, [Member])?

        init(settings: Settings, context: ZMQContext, members: [Member], zeros: [Float], seed: UInt64) {
            self.settings = settings
            self.context = context
            self.members = members
            self.zeros = zeros
            template = Wire.encode(
                .gradient(
                    GradientReply(
                        actorId: 0, round: 1, step: 0, transitions: 1, policyLoss: 0, valueLoss: 0, entropy: 0,
                        approxKL: 0, clipped: 0, gradient: zeros)))
            rng = Xoshiro256StarStar(seed: seed, stream: 0xF1EE7)
        }

        func requestStop() {
            lock.lock()
            stopRequested = true
            lock.unlock()
        }

        private var shouldStop: Bool {
            lock.lock()
            defer { lock.unlock() }
            return stopRequested
        }

        func snapshot() -> (
            batches: [(Int, Int)], versions: [UInt64: (count: Int, lastMs: Int)], stepArrivals: [StepKey: Int],
            helpers: [UInt64: Set<Int>], stopped: Int
        ) {
            lock.lock()
            defer { lock.unlock() }
            return (
                members.map { ($0.index, $0.batches) }, versions, stepArrivals, helpers, members.filter(\.stopped).count
            )
        }

        func run() {
            var nextTick = 0
            while !shouldStop {
                var now = monotonicMilliseconds()
                var nextDue = now + 5
                // Heartbeats and reconnects are paced in hundreds of ms: ticking every actor at
                // every message would make the fleet, not the coordinator, the bottleneck.
                let tickAll = now >= nextTick
                if tickAll { nextTick = now + 10 }
                for m in members where !m.stopped {
                    if tickAll { execute(m.core.tick(now: now, unitRandom: rng.nextUniform()), m, now: now) }
                    if let work = m.work {
                        if work.due <= now {
                            m.work = nil
                            finish(work.kind, m, now: now)
                        } else {
                            nextDue = min(nextDue, work.due)
                        }
                    }
                }
                if poller == nil {
                    var p = ZMQPoller()
                    let live = members.filter { $0.socket != nil && !$0.stopped }
                    for m in live { p.register(m.socket!) }
                    poller = (p, live)
                }
                guard let (p, live) = poller, !live.isEmpty else {
                    usleep(1000)
                    continue
                }
                now = monotonicMilliseconds()
                guard let ready = try? p.poll(timeoutMilliseconds: max(0, nextDue - now)) else {
                    poller = nil
                    continue
                }
                for (k, m) in live.enumerated() where ready.events[k].contains(.readable) {
                    receiveAll(m)
                }
            }
            for m in members {
                m.socket?.close()
                m.socket = nil
            }
        }

        private func receiveAll(_ m: Member) {
            for _ in 0..<64 {
                guard let socket = m.socket,
                    let frames = try? socket.receive(flags: .dontWait, maxFrames: WireLimits.maxReceivedFrames)
                else { return }
                guard let message = SimulatedFleet.skim(frames) ?? (try? Wire.decode(frames: frames)) else { continue }
                let now = monotonicMilliseconds()
                if case let .gradientRequest(r) = message {
                    let key = StepKey(round: r.round, step: r.step)
                    lock.lock()
                    if stepArrivals[key] == nil { stepArrivals[key] = now }
                    helpers[r.round, default: []].insert(m.index)
                    lock.unlock()
                }
                execute(m.core.receive(message, now: now), m, now: now)
            }
        }

        private func finish(_ work: Work, _ m: Member, now: Int) {
            switch work {
            case let .play(task, version):
                let batch = settings.batch.map {
                    var e = $0
                    e.task = task
                    e.policyVersion = version
                    return e
                }
                lock.lock()
                m.batches += 1
                lock.unlock()
                execute(m.core.finished(batch, now: now), m, now: now)
            case let .gradient(job, request):
                let reply = GradientReply(
                    actorId: job.actorId, round: request.round, step: request.step, transitions: 1, policyLoss: 0,
                    valueLoss: 0, entropy: 0, approxKL: 0, clipped: 0,
                    computeMicros: UInt32(clamping: 1000 * settings.gradientMs(episodes: job.episodes.count)),
                    gradient: zeros)
                execute(m.core.finishedGradient(reply, now: now), m, now: now)
            }
        }

        private func execute(_ directives: [ActorCore.Directive], _ m: Member, now: Int) {
            for d in directives {
                switch d {
                case .openFreshSocket:
                    m.socket?.close()
                    m.socket = try? openSocket()
                    poller = nil
                case .closeSocket:
                    m.socket?.close()
                    m.socket = nil
                    poller = nil
                case let .send(message):
                    let frames: [[UInt8]]
                    if case let .gradient(g) = message {
                        frames = SimulatedFleet.gradientFrames(
                            template, actorId: g.actorId, round: g.round, step: g.step, computeMicros: g.computeMicros)
                    } else {
                        frames = Wire.encode(message)
                    }
                    if let socket = m.socket, (try? socket.send(frames, flags: .dontWait)) == true {
                        m.core.didSend(now: now)
                    }
                case .log, .configure:
                    break
                case let .loadWeights(w):
                    reached(w.version, from: m, now: now)
                case let .play(task, version):
                    m.work = (now + settings.playMs, .play(task: task, policyVersion: version))
                    if settings.playMs == 0 {
                        m.work = nil
                        finish(.play(task: task, policyVersion: version), m, now: now)
                    }
                case let .computeGradient(job, request):
                    let ms = settings.gradientMs(episodes: job.episodes.count)
                    m.work = (now + ms, .gradient(job, request))
                    if ms == 0 {
                        m.work = nil
                        finish(.gradient(job, request), m, now: now)
                    }
                case .stop:
                    m.stopped = true
                    m.socket?.close()
                    m.socket = nil
                    poller = nil
                }
            }
        }

        /// `m` now holds `version`: it counts as having every version up to it.
        private func reached(_ version: UInt64, from m: Member, now: Int) {
            guard version > m.heldVersion else { return }
            lock.lock()
            for v in (m.heldVersion + 1)...version {
                let old = versions[v] ?? (0, 0)
                versions[v] = (old.count + 1, now)
            }
            lock.unlock()
            m.heldVersion = version
        }

        /// As an actor's connection opens its DEALER (ClusterShell.CoordinatorConnection), on the
        /// fleet's one context.
        private func openSocket() throws -> ZMQSocket {
            let s = try ZMQSocket(context, .dealer)
            try s.set(.heartbeatInterval(milliseconds: Int32(settings.heartbeatIntervalMs)))
            try s.set(.heartbeatTimeout(milliseconds: Int32(settings.heartbeatIntervalMs * settings.liveness)))
            try s.set(.maxMessageSize(Int64(WireLimits.maxMessageBytes)))
            try s.connect(settings.endpoint)
            return s
        }
    }
}
