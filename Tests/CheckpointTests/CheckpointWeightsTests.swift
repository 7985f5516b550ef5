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

    func testFitsOnlyTheSameShapeAndParameterCount() throws {
        let (_, snapshot) = try Fixtures.trained(updates: 0)
        let weights = CheckpointWeights(path: "w.h5", network: snapshot.network, parameters: snapshot.parameters)
        XCTAssertTrue(weights.fits(snapshot.network))
        XCTAssertTrue(weights.fits(snapshot.network, parameterCount: snapshot.parameters.count))
        XCTAssertFalse(weights.fits(snapshot.network, parameterCount: snapshot.parameters.count + 1))
        var moreFeatures = snapshot.network
        moreFeatures.features += 1
        XCTAssertFalse(weights.fits(moreFeatures), "another feature count is another network")
        XCTAssertFalse(weights.fits(.paper))
        XCTAssertTrue(weights.shape.contains("\(snapshot.network.features) features"), weights.shape)
        XCTAssertTrue(weights.shape.contains("(\(snapshot.parameters.count) numbers)"), weights.shape)
    }

    func testAMissingOrEmptyFileIsRefusedNamingIt() throws {
        assertRefused(.missing, path("nothing.h5")) { try CheckpointWeights.read(path("nothing.h5")) }
        let empty = path("empty.h5")
        XCTAssertTrue(FileManager.default.createFile(atPath: empty, contents: Data()))
        assertRefused(.empty, empty) { try CheckpointWeights.read(empty) }
    }
}
