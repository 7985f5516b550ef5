import Cluster
import ClusterShell
import Console
import Foundation
import Wire
import ZeroMQ

/// A learner whose update costs nothing, for the routing figures of `ccelim bench coordinator`:
/// it speaks the real protocol (`PeerLink`: hello, heartbeats; `publishWeights` of the preset's
/// size) and publishes version v+1 as soon as `numEnvs` episodes arrived since version v, so the
/// coordinator, not a PPO update, is what limits the episode rate. It records when it published
/// each version (fan-out is measured from there).
final class SinkLearner: @unchecked Sendable {
    private let endpoint: String
    private let numEnvs: Int
    private let preset: String
    private let parameters: [Float]
    private var link: PeerLink
    private let context: ZMQContext
    private var socket: ZMQSocket?
    private let lock = NSLock()
    private var stopRequested = false
    private var episodes = 0
    private var published: [UInt64: Int] = [:]
    private var version: UInt64 = 0
    private var sincePublish = 0
    private let finished = DispatchGroup()

    init(
        endpoint: String, numEnvs: Int, preset: String, parameterCount: Int, heartbeatIntervalMs: Int, liveness: Int
    )
        throws
    {
        self.endpoint = endpoint
        self.numEnvs = numEnvs
        self.preset = preset
        parameters = (0..<parameterCount).map { Float($0 % 97) * 1e-3 }
        link = PeerLink(
            hello: Hello(
                role: .learner, host: "simulated", pid: UInt32(ProcessInfo.processInfo.processIdentifier), cores: 1,
                actorIndex: 0),
            heartbeatIntervalMs: heartbeatIntervalMs, liveness: liveness, endpoint: endpoint)
        context = try ZMQContext()
    }

    /// Episodes received so far, and when each version was published (monotonic ms).
    var counts: (episodes: Int, published: [UInt64: Int]) {
        lock.lock()
        defer { lock.unlock() }
        return (episodes, published)
    }

    func start() {
        finished.enter()
        let thread = Thread { [self] in
            run()
            finished.leave()
        }
        thread.start()
    }

    func stop() {
        lock.lock()
        stopRequested = true
        lock.unlock()
        finished.wait()
    }

    private var shouldStop: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopRequested
    }

    private func run() {
        var unit = 0.5
        while !shouldStop {
            unit = unit == 0.5 ? 0.25 : 0.5
            execute(link.tick(now: monotonicMilliseconds(), unitRandom: unit))
            guard let socket else {
                usleep(1000)
                continue
            }
            var poller = ZMQPoller()
            poller.register(socket)
            guard let ready = try? poller.poll(timeoutMilliseconds: 20), !ready.isEmpty else { continue }
            for _ in 0..<256 {
                guard let frames = try? socket.receive(flags: .dontWait, maxFrames: WireLimits.maxReceivedFrames),
                    let message = try? Wire.decode(frames: frames)
                else { break }
                let now = monotonicMilliseconds()
                let (event, directives) = link.receive(message, now: now)
                execute(directives)
                switch event {
                case let .welcomed(w)?:
                    version = max(version, w.weightsVersion)
                    publish()
                case let .message(.episodes(list))?:
                    lock.lock()
                    episodes += list.count
                    lock.unlock()
                    sincePublish += list.count
                    if sincePublish >= numEnvs { publish() }
                default:
                    break
                }
            }
        }
        if let socket {
            try? socket.set(.linger(milliseconds: 200))
            _ = try? socket.send(Wire.encode(.goodbye), flags: .dontWait)
            socket.close()
        }
    }

    private func publish() {
        version += 1
        sincePublish = 0
        let weights = Weights(version: version, preset: preset, parameters: parameters)
        lock.lock()
        published[version] = monotonicMilliseconds()
        lock.unlock()
        send(.publishWeights(weights))
    }

    private func send(_ message: Message) {
        if let socket, (try? socket.send(Wire.encode(message), flags: .dontWait)) == true {
            link.didSend(now: monotonicMilliseconds())
        }
    }

    private func execute(_ directives: [PeerLink.Directive]) {
        for d in directives {
            switch d {
            case .openFreshSocket:
                socket?.close()
                socket = try? ZMQSocket(context, .dealer)
                try? socket?.set(.maxMessageSize(Int64(WireLimits.maxMessageBytes)))
                try? socket?.connect(endpoint)
            case .closeSocket:
                socket?.close()
                socket = nil
            case let .send(m): send(m)
            case .log: break
            }
        }
    }
}
