import XCTest
import Wire
@testable import Cluster

/// The client link driven against the real coordinator core with an injected clock: messages
/// go through the codec both ways, no sockets, no sleeps.
final class PeerLinkTests: XCTestCase {
    /// A coordinator core and the links talking to it, each at its own address.
    struct Harness {
        var core = CoordinatorCore(
            settings: CoordinatorSettings(
                tasks: [TaskSpec(name: "t0", graphText: "graph 0")], seed: 1, heartbeatIntervalMs: 100, liveness: 5))
        var links: [PeerLink] = []
        var events: [[PeerLink.Event]] = []
        var logs: [[String]] = []
        /// Links that no longer tick (a killed process).
        var silent: Set<Int> = []
        var now = 0

        mutating func add(host: String, pid: UInt32) -> Int {
            links.append(
                PeerLink(
                    hello: Hello(role: .learner, host: host, pid: pid, cores: 2, actorIndex: 0),
                    heartbeatIntervalMs: 100, liveness: 5, endpoint: "tcp://10.0.0.1:5555"))
            events.append([])
            logs.append([])
            return links.count - 1
        }

        /// One step of `ms`: every link ticks, what it sends is delivered, and so are the answers.
        mutating func advance(_ ms: Int) {
            now += ms
            for i in links.indices where !silent.contains(i) {
                deliver(from: i, links[i].tick(now: now, unitRandom: 0.5))
            }
            _ = core.tick(now: now)
        }

        private mutating func deliver(from i: Int, _ directives: [PeerLink.Directive]) {
            for directive in directives {
                switch directive {
                case let .send(message):
                    for case let .send(address, answer) in core.receive(
                        Wire.encode(message), from: PeerAddress([UInt8(i)]), now: now)
                    where address == PeerAddress([UInt8(i)]) {
                        let (event, more) = links[i].receive(answer, now: now)
                        if let event { events[i].append(event) }
                        deliver(from: i, more)
                    }
                case let .log(line): logs[i].append(line.text)
                case .openFreshSocket, .closeSocket: break
                }
            }
        }
    }

    /// Issue 12 finding 7: a second learner was refused (`learnerPresent`) but only printed "no
    /// welcome … reconnecting" forever. Now the refusal stops its link with a reason naming the
    /// learner in place (host and pid) and the coordinator; the first learner is untouched.
    func testASecondLearnerIsToldWhyAndStops() {
        var h = Harness()
        let first = h.add(host: "alpha", pid: 111)
        h.advance(1)
        XCTAssertNotNil(h.links[first].welcome)
        let second = h.add(host: "beta", pid: 222)
        var waited = 0
        while h.links[second].phase != .stopped && waited < 10_000 {
            h.advance(50)
            waited += 50
        }
        XCTAssertEqual(
            h.links[second].phase, .stopped, "the refused learner never stopped: \(h.logs[second].suffix(3))")
        let refusal = h.links[second].refusal ?? ""
        print("refused after \(waited) ms: \(refusal)")
        for part in ["another learner", "alpha:111", "tcp://10.0.0.1:5555"] {
            XCTAssertTrue(refusal.contains(part), "'\(part)' missing from: \(refusal)")
        }
        XCTAssertEqual(h.events[second].last, .stopped(reason: refusal))
        // It waited out the window in which a dead predecessor would have been forgotten, no longer.
        XCTAssertGreaterThanOrEqual(waited, h.links[second].refusalGraceMs)
        XCTAssertLessThanOrEqual(waited, h.links[second].refusalGraceMs + 300)
        XCTAssertNotNil(h.links[first].welcome, "the learner in place keeps its connection")
        XCTAssertNil(h.links[first].refusal)
    }

    /// A learner restarted right after a crash is refused while the coordinator still holds the
    /// dead one, and gets in once the coordinator forgets it: no exit for a stale registration.
    func testARestartedLearnerGetsInOnceTheDeadOneIsForgotten() {
        var h = Harness()
        let dead = h.add(host: "alpha", pid: 111)
        h.advance(1)
        XCTAssertNotNil(h.links[dead].welcome)
        h.silent.insert(dead)  // killed: it sends nothing more, the coordinator still holds it
        let restarted = h.add(host: "alpha", pid: 112)
        var waited = 0
        while h.links[restarted].welcome == nil && h.links[restarted].phase != .stopped && waited < 10_000 {
            h.advance(50)
            waited += 50
        }
        XCTAssertNotNil(h.links[restarted].welcome, "refusal: \(h.links[restarted].refusal ?? "none")")
        XCTAssertNil(h.links[restarted].refusal)
        XCTAssertTrue(h.logs[restarted].contains { $0.contains("has another learner") }, "\(h.logs[restarted])")
    }

    func testAnotherProtocolVersionIsAFinalRefusalAndShutdownIsNot() {
        var link = PeerLink(
            hello: Hello(role: .learner, host: "h", pid: 1, cores: 1, actorIndex: 0), endpoint: "tcp://c:1")
        _ = link.tick(now: 0, unitRandom: 0.5)
        let (event, _) = link.receive(
            .error(ErrorReply(code: .unsupportedVersion, message: "speaks 3\u{1B}[2J")), now: 1)
        XCTAssertEqual(link.phase, .stopped)
        XCTAssertEqual(event, .stopped(reason: link.refusal ?? "-"))
        XCTAssertTrue(
            link.refusal?.contains("speaks 3\\u{1B}[2J") ?? false, "peer text is escaped: \(link.refusal ?? "")")

        var clean = PeerLink(hello: Hello(role: .learner, host: "h", pid: 1, cores: 1, actorIndex: 0))
        _ = clean.tick(now: 0, unitRandom: 0.5)
        _ = clean.receive(.shutdown(reason: "done"), now: 1)
        XCTAssertEqual(clean.phase, .stopped)
        XCTAssertNil(clean.refusal, "a shutdown is a normal end, not a refusal")
        XCTAssertEqual(ErrorCode.allCases.filter(\.isFinal), [.unsupportedVersion, .learnerPresent])
    }
}
