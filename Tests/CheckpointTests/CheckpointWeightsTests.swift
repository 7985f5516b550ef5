import Checksum
import XCTest
import PPO
@testable import Checkpoint

/// `CheckpointWeights`, the one reader of a checkpoint's network for another use than resuming
/// (`optimize --policy`, `train --init`): it keeps the checkpoint's shape, weights, checksum, tasks
/// and updates, and refuses a bad file with the reader's own error.
final class CheckpointWeightsTests: CheckpointTestCase {
    func testReadKeepsTheCheckpointsNetworkWeightsChecksumTasksAndUpdates() throws {
        let (_, snapshot) = try Fixtures.trained(updates: 2)
        let file = path("checkpoint.h5")
        try CheckpointFile.write(snapshot, to: file, codeVersion: "test-1")
        let weights = try CheckpointWeights.read(file)
        XCTAssertEqual(weights.path, file)
        XCTAssertEqual(weights.network, snapshot.network)
        XCTAssertEqual(weights.network.features, TokenFeatures.count)
        XCTAssertEqual(weights.parameters.map(\.bitPattern), snapshot.parameters.map(\.bitPattern))
        XCTAssertEqual(weights.tasks, snapshot.tasks)
        XCTAssertEqual(weights.updates, 2)
        XCTAssertEqual(weights.weightsChecksum, String(FNV1a64.checksum(of: snapshot.parameters), radix: 16))
        XCTAssertNotEqual(
            weights.weightsChecksum, CheckpointWeights.weightsChecksum(of: snapshot.parameters.map { $0 + 1 }))
    }

    func testAMissingOrEmptyFileIsRefusedNamingIt() throws {
        assertRefused(.missing, path("nothing.h5")) { try CheckpointWeights.read(path("nothing.h5")) }
        let empty = path("empty.h5")
        XCTAssertTrue(FileManager.default.createFile(atPath: empty, contents: Data()))
        assertRefused(.empty, empty) { try CheckpointWeights.read(empty) }
    }
}
