import Console
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
                "steps", "adam_step", "seed", "network", "config", "parameter_count", "checksum_fnv1a64", "parameters",
                "best", "baselines",
            ])
        XCTAssertEqual(fields.first { $0.0 == "algorithm" }?.1.text, "\"ppo\"")
        let lines = StoredFileReport.lines(snapshot, file: "c.h5")
        XCTAssertTrue(lines.contains { $0.contains("algorithm: ppo") }, "\(lines)")
        XCTAssertTrue(lines[0].hasPrefix("c.h5: ccelim checkpoint, version"), lines[0])
        XCTAssertTrue(lines.contains { $0.hasPrefix("best chain: cost \(snapshot.best["chain"]!.cost)") }, "\(lines)")
        XCTAssertTrue(lines.last!.hasPrefix("tensor"), lines.last!)
    }
}
