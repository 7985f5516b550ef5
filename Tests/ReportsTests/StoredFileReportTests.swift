import AlphaZero
import Console
import Elimination
import PPO
import TestFixtures
import XCTest
@testable import Reports

/// `ccelim inspect`'s description of a checkpoint: the JSON keys scripts read, and the lines.
final class StoredFileReportTests: XCTestCase {
    func testCheckpointJSONKeysAndLines() throws {
        let run = try SoloRun(
            graph: try TestFixtures.chain(), network: TestFixtures.tinyNetwork, hp: TestFixtures.tinyHyperparameters(),
            seed: 1)
        _ = try run.runUpdate()
        let snapshot = run.snapshot()
        guard case .object(let fields) = StoredFileReport.json(snapshot, file: "c.h5") else {
            return XCTFail("not an object")
        }
        XCTAssertEqual(
            fields.map(\.0),
            [
                "file", "kind", "format", "version", "tasks", "algorithm", "updates", "policy_version", "episodes",
                "steps", "adam_step", "seed", "network", "config", "parameter_count", "checksum_fnv1a64", "replay",
                "parameters", "best", "baselines",
            ])
        XCTAssertEqual(fields.first { $0.0 == "algorithm" }?.1.text, "\"ppo\"")
        XCTAssertEqual(fields.first { $0.0 == "replay" }?.1.text, "null", "PPO keeps no replay buffer")
        let lines = StoredFileReport.lines(snapshot, file: "c.h5")
        XCTAssertTrue(lines.contains { $0.contains("algorithm: ppo") }, "\(lines)")
        XCTAssertTrue(lines[0].hasPrefix("c.h5: ccelim checkpoint, version"), lines[0])
        XCTAssertTrue(lines.contains { $0.hasPrefix("best chain: cost \(snapshot.best["chain"]!.cost)") }, "\(lines)")
        XCTAssertTrue(lines.last!.hasPrefix("tensor"), lines.last!)
    }

    /// An AlphaZero checkpoint shows its replay buffer: games, moves, games ever added, capacity.
    func testAlphaZeroCheckpointShowsTheReplayBuffer() throws {
        var hp = AlphaZeroHyperparameters()
        hp.simulations = 2
        hp.gamesInLockstep = 3
        hp.minibatchSize = 4
        hp.stepsPerBatch = 1
        hp.replayGames = 5
        let graph = try TestFixtures.chain()
        let run = try AlphaZeroSoloRun(graphs: [graph], network: TestFixtures.tinyNetwork, settings: hp, seed: 1)
        for _ in 0..<2 { _ = try run.runUpdate() }
        let snapshot = run.snapshot()
        let moves = GameSpec(graph: graph).eliminable.count
        guard case .object(let fields) = StoredFileReport.json(snapshot, file: "c.h5") else {
            return XCTFail("not an object")
        }
        XCTAssertEqual(
            fields.first { $0.0 == "replay" }?.1.text,
            "{\"games\": 5, \"moves\": \(5 * moves), \"added\": 6, \"capacity\": 5}")
        let lines = StoredFileReport.lines(snapshot, file: "c.h5")
        XCTAssertTrue(
            lines.contains("replay buffer: 5 games (\(5 * moves) moves) of 5, 6 ever added"), "\(lines)")
    }
}
