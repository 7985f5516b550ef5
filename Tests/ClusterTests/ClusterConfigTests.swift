import Foundation
import XCTest
import Elimination
import Wire
@testable import Cluster

final class ClusterConfigTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    func testTheShippedClusterTomlParses() throws {
        let text = try String(contentsOf: Self.root.appendingPathComponent("cluster.toml"), encoding: .utf8)
        let config = try ClusterConfig.parse(text)
        XCTAssertEqual(config.run.tasks, ["RoeFlux_1d"])
        XCTAssertEqual(config.learner.preset, "small")
        XCTAssertFalse(config.security.curve)
    }

    /// Who computes the gradients, and the backpressure bound whose default is one update.
    func testGradientsKeyAndTheOneUpdateBound() throws {
        let defaults = try ClusterConfig.parse("")
        XCTAssertEqual(defaults.learner.gradients, "actors")
        XCTAssertEqual(
            defaults.coordinatorHoldThreshold, defaults.hyperparameters.numEnvs, "0 means one update's worth")
        let c = try ClusterConfig.parse("[learner]\ngradients = \"learner\"\nnum_envs = 8\nmax_queued_episodes = 20\n")
        XCTAssertEqual(c.learner.gradients, "learner")
        XCTAssertEqual(c.coordinatorHoldThreshold, 20)
        XCTAssertEqual(try ClusterConfig.parse(c.tomlText), c, "the written text reads back the same")
        XCTAssertThrowsError(try ClusterConfig.parse("[learner]\ngradients = \"gpu\"\n")) { error in
            XCTAssertTrue("\(error)".contains("learner.gradients"), "\(error)")
        }
    }

    /// `[learner] min_shard_episodes` bounds the helpers per update (1, the default: one per episode).
    func testMinShardEpisodesKey() throws {
        XCTAssertEqual(try ClusterConfig.parse("").learner.minShardEpisodes, 1)
        let c = try ClusterConfig.parse("[learner]\nmin_shard_episodes = 8\n")
        XCTAssertEqual(c.learner.minShardEpisodes, 8)
        XCTAssertEqual(try ClusterConfig.parse(c.tomlText), c, "the written text reads back the same")
        XCTAssertThrowsError(try ClusterConfig.parse("[learner]\nmin_shard_episodes = 0\n")) { error in
            XCTAssertTrue("\(error)".contains("learner.min_shard_episodes"), "\(error)")
        }
    }

    /// `[learner] size_helpers`: true by default (the learner sizes the helpers to the measured
    /// compute); false gives every actor heard from a shard; not a boolean is refused by key.
    func testSizeHelpersKey() throws {
        XCTAssertTrue(try ClusterConfig.parse("").learner.sizeHelpers)
        let c = try ClusterConfig.parse("[learner]\nsize_helpers = false\n")
        XCTAssertFalse(c.learner.sizeHelpers)
        XCTAssertEqual(try ClusterConfig.parse(c.tomlText), c, "the written text reads back the same")
        XCTAssertThrowsError(try ClusterConfig.parse("[learner]\nsize_helpers = 3\n")) { error in
            XCTAssertTrue("\(error)".contains("learner.size_helpers"), "\(error)")
        }
    }

    /// An AlphaZero actor plays at most one update's games per batch (more would reach the
    /// learner too late to train on); PPO's batch is `envs_per_actor` as written.
    func testAlphaZeroActorBatchesAreAtMostOneUpdatesGames() throws {
        let ppo = try ClusterConfig.parse("[learner]\nnum_envs = 8\n[actors]\nenvs_per_actor = 16\n")
        XCTAssertEqual(ppo.actorBatchGames, 16)
        let az = try ClusterConfig.parse("[learner]\nalgorithm = \"alphazero\"\nnum_envs = 8\n")
        XCTAssertEqual(az.actors.envsPerActor, 16, "the default")
        XCTAssertEqual(az.actorBatchGames, 8)
        let small = try ClusterConfig.parse(
            "[learner]\nalgorithm = \"alphazero\"\nnum_envs = 8\n[actors]\nenvs_per_actor = 3\n")
        XCTAssertEqual(small.actorBatchGames, 3, "a smaller batch is kept")
    }

    /// `[learner] algorithm`: "ppo" (the default) or "alphazero" (with its `simulations`, which
    /// the welcome must carry); anything else names the key.
    func testAlgorithmKey() throws {
        XCTAssertEqual(try ClusterConfig.parse("").learner.algorithm, "ppo")
        let c = try ClusterConfig.parse("[learner]\nalgorithm = \"ppo\"\n")
        XCTAssertEqual(c.learner.algorithm, "ppo")
        XCTAssertTrue(c.tomlText.contains("algorithm = \"ppo\""), c.tomlText)
        XCTAssertEqual(try ClusterConfig.parse(c.tomlText), c)
        XCTAssertEqual(try c.welcomeAlgorithm().algorithm, .ppo)
        XCTAssertEqual(try c.welcomeAlgorithm().search, .none)

        let az = try ClusterConfig.parse(
            "[run]\ntasks = [\"Encoder\"]\n[learner]\nalgorithm = \"alphazero\"\nnum_envs = 6\n[actors]\nenvs_per_actor = 3\n"
        )
        XCTAssertEqual(az.algorithm, .alphaZero)
        XCTAssertEqual(az.alphaZeroHyperparameters.simulations, 250, "the paper's per-task value without the key")
        XCTAssertEqual(az.gamesPerUpdate, 6)
        XCTAssertEqual(az.coordinatorHoldThreshold, 18, "max_policy_lag + 1 updates' worth by default")
        var bounded = az
        bounded.learner.maxQueuedEpisodes = 4
        XCTAssertEqual(bounded.coordinatorHoldThreshold, 6, "never below one update's worth")
        bounded.learner.maxPolicyLag = 0
        bounded.learner.maxQueuedEpisodes = 0
        XCTAssertEqual(bounded.coordinatorHoldThreshold, 6, "synchronous: exactly one update's worth")
        let withSimulations = try ClusterConfig.parse(az.tomlText + "")
        XCTAssertEqual(withSimulations, az, "the written text reads back the same")
        var twelve = az
        twelve.learner.simulations = 12
        XCTAssertTrue(twelve.tomlText.contains("simulations = 12"), twelve.tomlText)
        XCTAssertEqual(try ClusterConfig.parse(twelve.tomlText), twelve)
        let welcome = try twelve.welcomeAlgorithm()
        XCTAssertEqual(welcome.algorithm, .alphazero)
        XCTAssertEqual(welcome.search.simulations, 12)
        XCTAssertEqual(
            welcome.search.maxConsideredActions, UInt32(twelve.alphaZeroHyperparameters.maxConsideredActions))
        // AlphaZero's updates stay on the learner: PPO's gradient-step bound does not apply.
        XCTAssertNoThrow(
            try ClusterConfig.parse(
                "[learner]\nalgorithm = \"alphazero\"\ngradients = \"actors\"\nupdate_epochs = 100\nnum_minibatches = 1024\n"
            ))
        XCTAssertThrowsError(try ClusterConfig.parse("[learner]\nalgorithm = \"alphazero\"\nsimulations = 0\n")) {
            XCTAssertTrue("\($0)".contains("learner.simulations"), "\($0)")
        }
        XCTAssertThrowsError(try ClusterConfig.parse("[learner]\nsimulations = 5000\n")) {
            XCTAssertTrue("\($0)".contains("learner.simulations") && "\($0)".contains("PROTOCOL.md"), "\($0)")
        }
        XCTAssertThrowsError(try ClusterConfig.parse("[learner]\nalgorithm = \"sarsa\"\n")) { error in
            XCTAssertTrue("\(error)".contains("learner.algorithm") && "\(error)".contains("'sarsa'"), "\(error)")
        }
    }

    func testEmptyTextGivesDefaults() throws {
        XCTAssertEqual(try ClusterConfig.parse(""), ClusterConfig())
    }

    func testOverridesAreRead() throws {
        let c = try ClusterConfig.parse(
            """
            [run]
            name = "g-run"
            seed = 7
            tasks = ["g", "f"]
            [learner]
            learning_rate = 1e-3
            num_envs = 24
            [actors]
            per_host = 3
            [heartbeat]
            interval_ms = 250
            """)
        XCTAssertEqual(c.run.name, "g-run")
        XCTAssertEqual(c.run.seed, 7)
        XCTAssertEqual(c.run.tasks, ["g", "f"])
        XCTAssertEqual(c.learner.learningRate, 1e-3)
        XCTAssertEqual(c.learner.numEnvs, 24)
        XCTAssertEqual(c.actors.perHost, 3)
        XCTAssertEqual(c.heartbeat.intervalMs, 250)
    }

    private func error(_ text: String) -> ConfigError? {
        do {
            _ = try ClusterConfig.parse(text)
            XCTFail("accepted: \(text)")
            return nil
        } catch {
            return error
        }
    }

    func testUnknownKeysAndBadValuesNameTheKey() {
        XCTAssertEqual(error("[run]\nseeed = 3")?.key, "run.seeed")
        XCTAssertEqual(error("[runn]\nseed = 3")?.key, "runn")
        XCTAssertEqual(error("[run]\nseed = \"one\"")?.key, "run.seed")
        XCTAssertEqual(error("[learner]\nnum_envs = 0")?.key, "learner.num_envs")
        XCTAssertEqual(error("[learner]\npreset = \"huge\"")?.key, "learner.preset")
        XCTAssertEqual(error("[coordinator]\nbind = \"localhost\"")?.key, "coordinator.bind")
        XCTAssertEqual(error("[run]\nname = \"../etc\"")?.key, "run.name")
        XCTAssertEqual(error("[run]\ntasks = []")?.key, "run.tasks")
        XCTAssertEqual(error("[heartbeat]\ninterval_ms = 1.5")?.key, "heartbeat.interval_ms")
        let syntax = error("[run\nseed = 1")
        XCTAssertNil(syntax?.key)
        XCTAssertTrue(syntax?.description.contains("line 1") ?? false, syntax?.description ?? "")
    }

    /// Issue 12 finding 7: heartbeat.interval_ms 600,000 was accepted though the protocol allows
    /// 60,000 (the welcome then failed to decode and the cluster idled). Every key that travels in a
    /// message is checked with the protocol's own bound (Wire.WireLimits), naming key, value, range.
    func testKeysThatTravelInMessagesUseTheProtocolsBounds() throws {
        let interval = error("[heartbeat]\ninterval_ms = 600000")
        XCTAssertEqual(interval?.key, "heartbeat.interval_ms")
        XCTAssertTrue(
            interval?.message.contains("600000 is out of range (10…60000, the cluster protocol's bound") ?? false,
            interval?.description ?? "")
        XCTAssertEqual(try ClusterConfig.parse("[heartbeat]\ninterval_ms = 60000").heartbeat.intervalMs, 60_000)
        XCTAssertEqual(error("[heartbeat]\ninterval_ms = 9")?.key, "heartbeat.interval_ms")
        XCTAssertEqual(error("[actors]\nenvs_per_actor = 4097")?.key, "actors.envs_per_actor")
        XCTAssertEqual(error("[learner]\nnum_envs = 4097")?.key, "learner.num_envs")
        XCTAssertEqual(error("[security]\nmax_message_bytes = \(64 << 20 + 1)")?.key, "security.max_message_bytes")
        XCTAssertEqual(
            try ClusterConfig.parse("[security]\nmax_message_bytes = \(64 << 20)").security.maxMessageBytes, 64 << 20)
        let longName = String(repeating: "x", count: 257)
        XCTAssertEqual(error("[run]\ntasks = [\"\(longName)\"]")?.key, "run.tasks")
        let manyTasks = (0...1024).map { "\"t\($0)\"" }.joined(separator: ", ")
        XCTAssertEqual(error("[run]\ntasks = [\(manyTasks)]")?.key, "run.tasks")
        // A gradientJob carries at most 4,096 minibatch steps: epochs × minibatches.
        let steps = error("[learner]\nupdate_epochs = 100\nnum_minibatches = 64")
        XCTAssertEqual(steps?.key, "learner.update_epochs")
        XCTAssertTrue(steps?.message.contains("6400 gradient steps") ?? false, steps?.description ?? "")
        XCTAssertNoThrow(
            try ClusterConfig.parse("[learner]\nupdate_epochs = 100\nnum_minibatches = 64\ngradients = \"learner\""))
    }

    /// A value quoted in an error is printed escaped, never as raw control characters.
    func testErrorsQuotingValuesArePrintable() {
        let e = error("[run]\nname = \"run\\u001b[2J\"")
        XCTAssertEqual(e?.key, "run.name")
        let text = e?.description ?? ""
        XCTAssertFalse(text.unicodeScalars.contains { $0.value < 0x20 }, text.debugDescription)
        XCTAssertTrue(text.contains("\\u{1B}[2J"), text)
    }

    /// A task the welcome cannot carry (a long name from a graph file's `name` line, a graph text
    /// over 4 MiB) made every peer fail to decode its welcome; the coordinator now refuses it.
    func testTasksAWelcomeCannotCarryAreNamed() {
        XCTAssertEqual(GraphFile.maxNameBytes, WireLimits.maxNameBytes, "a graph file's name travels in welcome")
        XCTAssertNil(CoordinatorSettings.welcomeProblem(TaskSpec(name: "f", graphText: "g")))
        let long = CoordinatorSettings.welcomeProblem(
            TaskSpec(name: String(repeating: "n", count: 257), graphText: "g"))
        XCTAssertTrue(long?.contains("257 bytes") ?? false, long ?? "nil")
        let big = CoordinatorSettings.welcomeProblem(
            TaskSpec(name: "f", graphText: String(repeating: "x", count: (4 << 20) + 1)))
        XCTAssertTrue(big?.contains("at most 4194304 bytes") ?? false, big ?? "nil")
    }
}
