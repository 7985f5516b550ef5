import XCTest
import AlphaZero
import Wire
@testable import Cluster

/// `[learner] c_scale` (`ccelim train --c-scale` on the cluster): the learner's settings take it,
/// the welcome's search settings carry it (no new message field: `SearchSettings.cScale` was
/// always on the wire) and an actor applying the welcome searches with it.
final class ClusterCScaleTests: XCTestCase {
    func testCScaleTravelsFromClusterTomlThroughTheWelcomeToTheActorsSearch() throws {
        let config = try ClusterConfig.parse("[learner]\nalgorithm = \"alphazero\"\nc_scale = 0.1\n")
        XCTAssertEqual(config.learner.cScale, 0.1)
        XCTAssertEqual(config.alphaZeroHyperparameters.cScale, 0.1)
        XCTAssertTrue(config.tomlText.contains("c_scale = 0.1"), config.tomlText)
        XCTAssertEqual(try ClusterConfig.parse(config.tomlText), config, "the written text reads back the same")
        let welcome = try config.welcomeAlgorithm()
        XCTAssertEqual(welcome.search.cScale, 0.1)
        // Through the codec, as an actor receives it, then applied to the actor's own settings.
        let message = Welcome(
            actorId: 1, heartbeatIntervalMs: 1000, environmentsPerActor: 8, seed: 1, weightsVersion: 0,
            algorithm: welcome.algorithm, search: welcome.search, tasks: [])
        guard case let .welcome(received) = try decode(frames: encode(.welcome(message))) else {
            return XCTFail("welcome decoded as another kind")
        }
        XCTAssertEqual(AlphaZeroHyperparameters().applying(received.search).cScale, 0.1)
    }

    func testWithoutTheKeyTheDefaultAndABadValueIsRefusedByName() throws {
        let config = try ClusterConfig.parse("[learner]\nalgorithm = \"alphazero\"\n")
        XCTAssertNil(config.learner.cScale)
        XCTAssertEqual(config.alphaZeroHyperparameters.cScale, AlphaZeroHyperparameters().cScale)
        XCTAssertFalse(config.tomlText.contains("c_scale"))
        XCTAssertThrowsError(try ClusterConfig.parse("[learner]\nalgorithm = \"alphazero\"\nc_scale = -1\n")) {
            XCTAssertTrue("\($0)".contains("learner.c_scale"), "\($0)")
        }
    }
}
