import XCTest
@testable import PPO

final class ResumeTests: XCTestCase {
    /// 4 updates straight equal 2 updates, snapshot, restore into a fresh trainer, 2 more —
    /// weights, Adam moments, counters, random streams and best order bit for bit.
    func testSnapshotRestoreContinuesBitExactly() throws {
        let graph = try SmallGraphs.chain()
        let hp = PPOFixtures.tinyHyperparameters()
        let straight = try SoloRun(graph: graph, network: PPOFixtures.tiny, hp: hp, seed: 21)
        for _ in 0..<4 { _ = try straight.runUpdate() }

        let first = try SoloRun(graph: graph, network: PPOFixtures.tiny, hp: hp, seed: 21)
        for _ in 0..<2 { _ = try first.runUpdate() }
        let saved = first.snapshot()
        // The seed is overwritten by restore.
        let resumed = try SoloRun(graph: graph, network: PPOFixtures.tiny, hp: hp, seed: 999)
        try resumed.restore(saved)
        for _ in 0..<2 { _ = try resumed.runUpdate() }

        var a = straight.snapshot(), b = resumed.snapshot()
        XCTAssertEqual(b.updates, 4)
        a.seed = 0; b.seed = 0
        XCTAssertEqual(a, b)
    }

    func testRestoreRefusesAnotherTaskOrNetwork() throws {
        let hp = PPOFixtures.tinyHyperparameters()
        let trainer = try SoloRun(graph: try SmallGraphs.chain(), network: PPOFixtures.tiny, hp: hp, seed: 1)
        var snapshot = trainer.snapshot()
        snapshot.tasks = ["RoeFlux_1d"]
        XCTAssertThrowsError(try trainer.restore(snapshot)) { XCTAssertTrue("\($0)".contains("RoeFlux_1d")) }
        let other = try SoloRun(graph: try SmallGraphs.chain(), network: .small, hp: hp, seed: 1)
        XCTAssertThrowsError(try other.restore(trainer.snapshot())) { XCTAssertTrue("\($0)".contains("network")) }
        var tampered = trainer.snapshot()
        tampered.best["chain"] = BestOrder(cost: 1, order: [1, 2, 3, 4, 5, 6, 8])
        XCTAssertThrowsError(try trainer.restore(tampered))
    }
}
