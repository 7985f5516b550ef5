import XCTest
@testable import Wire

/// `ccelim status` for people: the peers' table and each task's best cost, "none yet" before one.
final class StatusReportTests: XCTestCase {
    func testLinesShowPeersAndBestCosts() {
        let reply = StatusReply(
            weightsVersion: 4,
            peers: [
                PeerStatus(
                    id: 2, role: .actor, host: "h", pid: 99, lastSeenMsAgo: 15, episodes: 40, episodesPerSecond: 2.25)
            ],
            tasks: [TaskStatus(name: "a", bestCost: 7), TaskStatus(name: "b", bestCost: nil)])
        let lines = reply.lines
        XCTAssertEqual(lines.first, "weights v4, 1 peers")
        XCTAssertTrue(lines[1].contains("15 ms") && lines[1].contains("2.2"), lines[1])
        XCTAssertEqual(Array(lines.suffix(2)), ["a: best cost 7", "b: best cost none yet"])
    }
}
