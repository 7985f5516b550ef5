import Foundation
import XCTest

/// Gumbel AlphaZero through the real binary as a cluster on 127.0.0.1: coordinator, learner and
/// two actors on the 8-vertex chain with 2 simulations per move and 2 games per batch. The actors
/// search and send `searchGames`, the learner trains from its replay buffer and checkpoints as the
/// solo run does; an actor killed mid-run does not stop training.
final class AlphaZeroClusterEndToEndTests: ClusterTestCase {
    /// cluster.toml for an AlphaZero run on the chain (converted to a .graph: actors parse the
    /// welcome's graph text).
    func writeAlphaZeroConfig(updates: Int) throws -> String {
        let graph = directory.appendingPathComponent("chain.graph").path
        let imported = try runCLI(["import-jaxpr", try writeChainJaxpr(in: directory), "--output", graph])
        XCTAssertEqual(imported.status, 0, imported.stderr)
        let text = """
            [run]
            tasks = ["\(graph)"]
            runs_directory = "\(directory.path)/runs"
            [learner]
            algorithm = "alphazero"
            simulations = 2
            num_envs = 2
            updates = \(updates)
            checkpoint_every = 1
            max_policy_lag = 4
            max_queued_episodes = 8
            [actors]
            envs_per_actor = 2
            [heartbeat]
            interval_ms = 200
            liveness = 5
            """
        let path = directory.appendingPathComponent("cluster.toml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Games each actor had accepted by the coordinator (its status table), by actor id.
    func gamesByActor(_ endpoint: String, config: String) throws -> [Int: Int] {
        let r = try runCLI(["status", "--config", config, "--connect", endpoint, "--json"])
        guard r.status == 0, let peers = try jsonObject(r.stdout)["peers"] as? [[String: Any]] else { return [:] }
        var out: [Int: Int] = [:]
        for p in peers where p["role"] as? String == "actor" {
            if let id = p["id"] as? Int, let episodes = p["episodes"] as? Int { out[id] = episodes }
        }
        return out
    }

    func testTwoActorsSearchAndTheLearnerTrainsAndCheckpoints() throws {
        let config = try writeAlphaZeroConfig(updates: 1000)
        let endpoint = try startCoordinator(config)
        let run = directory.appendingPathComponent("run").path
        let learner = try start(
            ["learner", "--config", config, "--connect", endpoint, "--run-dir", run], log: "learner")
        try start(["worker", "--config", config, "--connect", endpoint, "--actors", "2"], log: "worker")
        var byActor: [Int: Int] = [:]
        XCTAssertTrue(
            waitFor("games from both actors and three updates", seconds: 25) {
                guard self.log("learner").contains("update 3 v3") else { return false }
                byActor = (try? gamesByActor(endpoint, config: config)) ?? byActor
                return byActor.count == 2 && byActor.values.allSatisfy { $0 > 0 }
            }, "games by actor \(byActor)\n\(log("learner"))")
        kill(learner.processIdentifier, SIGTERM)
        guard waitFor("the learner to stop", seconds: 20, { !learner.isRunning }) else { return }
        XCTAssertEqual(learner.terminationStatus, 0, log("learner"))

        // The checkpoint and the episode log say alphazero, as the solo run's do.
        let checkpoint = try jsonObject(try runCLI(["inspect", "\(run)/checkpoint.h5", "--json"]).stdout)
        XCTAssertEqual(checkpoint["algorithm"] as? String, "alphazero")
        XCTAssertGreaterThanOrEqual(checkpoint["updates"] as? Int ?? 0, 3)
        let episodes = try jsonObject(try runCLI(["inspect", "\(run)/episodes.h5", "--json"]).stdout)
        XCTAssertEqual(episodes["algorithm"] as? String, "alphazero")
        XCTAssertGreaterThanOrEqual(episodes["episodes"] as? Int ?? 0, 6)

        // best_cost is the game's cost of best_order (re-scored by `ccelim cost`).
        let summary = try jsonObject(try String(contentsOfFile: "\(run)/summary.json", encoding: .utf8))
        XCTAssertEqual(summary["algorithm"] as? String, "alphazero")
        let best = try XCTUnwrap((summary["best"] as? [String: Any])?.values.first as? [String: Any], "\(summary)")
        let order = try XCTUnwrap(best["order"] as? [Int])
        XCTAssertEqual(Set(order).count, order.count, "each vertex eliminated once")
        let cost = try jsonObject(
            try runCLI([
                "cost", directory.appendingPathComponent("chain.graph").path, "--order",
                order.map(String.init).joined(separator: ","), "--json",
            ]).stdout)
        XCTAssertEqual(cost["cost"] as? Int, best["cost"] as? Int)
    }

    func testAnActorKilledMidRunDoesNotStopTraining() throws {
        let config = try writeAlphaZeroConfig(updates: 4)
        let endpoint = try startCoordinator(config)
        let learner = try start(
            [
                "learner", "--config", config, "--connect", endpoint, "--run-dir",
                directory.appendingPathComponent("run").path,
            ],
            log: "learner")
        try start(["actor", "--config", config, "--connect", endpoint, "--index", "0"], log: "steady")
        let doomed = try start(["actor", "--config", config, "--connect", endpoint, "--index", "1"], log: "doomed")
        XCTAssertTrue(
            waitFor("the first update", seconds: 20) { self.log("learner").contains("update 1 v1") }, log("learner"))
        kill(doomed.processIdentifier, SIGKILL)
        XCTAssertTrue(
            waitFor("the killed actor to be declared dead", seconds: 10) {
                self.log("coordinator").contains("declared dead")
            }, log("coordinator"))
        guard waitFor("training to finish with one actor", seconds: 40, { !learner.isRunning }) else {
            return XCTFail(log("learner"))
        }
        XCTAssertEqual(learner.terminationStatus, 0, log("learner"))
        XCTAssertTrue(log("learner").contains("update 4 v4"), log("learner"))
    }

    /// `ccelim train --rollout-weight 1 --rollout-rules 3 --rollout-endgame 2` on the local cluster
    /// with two actors: the run's cluster.toml says λ = 1, k = 3, E = 2, both actors are welcomed
    /// with them (protocols 5 and 6) and search, the checkpoint records them, and a resume keeps
    /// them (another λ or k is refused before any child starts).
    func testTrainWithRolloutsCarriesThemToTheActorsAndTheCheckpoint() throws {
        let config = try writeAlphaZeroConfig(updates: 2)
        let graph = directory.appendingPathComponent("chain.graph").path
        let run = directory.appendingPathComponent("rollouts").path
        let r = try runCLI([
            "train", "--config", config, "--task", graph, "--actors", "2", "--updates", "2", "--rollout-weight", "1",
            "--rollout-rules", "3", "--rollout-endgame", "2", "--run-dir", run, "--json",
        ])
        XCTAssertEqual(r.status, 0, r.stderr)
        let result = try jsonObject(r.stdout.split(separator: "\n").last.map(String.init) ?? "")
        XCTAssertEqual(result["algorithm"] as? String, "alphazero")
        XCTAssertEqual(result["updates"] as? Int, 2)
        let written = try String(contentsOfFile: "\(run)/cluster.toml", encoding: .utf8)
        XCTAssertTrue(written.contains("rollout_weight = 1.0\nrollout_rules = 3\nrollout_endgame = 2"), written)
        for i in 0..<2 {
            let actorLog = (try? String(contentsOfFile: "\(run)/logs/actor-\(i).log", encoding: .utf8)) ?? ""
            XCTAssertTrue(
                actorLog.contains("rollout_weight 1.0, rollout_rules 3, rollout_endgame 2"), "actor \(i): \(actorLog)")
        }
        let otherRules = try runCLI([
            "train", "--config", config, "--resume", "\(run)/checkpoint.h5", "--updates", "3", "--rollout-rules", "1",
        ])
        XCTAssertNotEqual(otherRules.status, 0)
        XCTAssertTrue(
            otherRules.stderr.contains("--rollout-rules 1 differs from the checkpoint's 3"), otherRules.stderr)
        let refused = try runCLI([
            "train", "--config", config, "--resume", "\(run)/checkpoint.h5", "--updates", "3", "--rollout-weight", "0",
        ])
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.stderr.contains("differs from the checkpoint's 1.0"), refused.stderr)
        // Without the flags (cluster.toml has no rollout keys) the resumed run keeps the checkpoint's
        // λ = 1, k = 3 and E = 2.
        let resumed = try runCLI(["train", "--config", config, "--resume", "\(run)/checkpoint.h5", "--updates", "3"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        let rewritten = try String(contentsOfFile: "\(run)/cluster.toml", encoding: .utf8)
        XCTAssertTrue(rewritten.contains("rollout_weight = 1.0\nrollout_rules = 3\nrollout_endgame = 2"), rewritten)
    }

    /// A multi-host resume: the checkpoint decides the search. A cluster.toml naming other
    /// settings is refused by the coordinator (`--resume`) and the learner before anything runs;
    /// a learner resuming under a coordinator that welcomes with another search stops, naming the
    /// fields; a coordinator given the checkpoint welcomes with its search — the solo run's
    /// rollouts of k = 3 rules and E = 2 exact vertices included (protocol 6).
    func testMultiHostResumeTakesTheSearchFromTheCheckpoint() throws {
        let config = try writeAlphaZeroConfig(updates: 2)  // simulations = 2, num_envs = 2
        let graph = directory.appendingPathComponent("chain.graph").path
        let run = directory.appendingPathComponent("solo").path
        let solo = try runCLI([
            "train", "--solo", "--algorithm", "alphazero", "--task", graph, "--simulations", "3", "--envs", "2",
            "--rollout-weight", "0.5", "--rollout-rules", "3", "--rollout-endgame", "2", "--updates", "1", "--run-dir",
            run,
        ])
        XCTAssertEqual(solo.status, 0, solo.stderr)
        let checkpoint = "\(run)/checkpoint.h5"
        for role in ["coordinator", "learner"] {
            let refused = try runCLI([role, "--config", config, "--resume", checkpoint])
            XCTAssertNotEqual(refused.status, 0, role)
            XCTAssertTrue(
                refused.stderr.contains("[learner] simulations = 2 differs from the checkpoint's 3"),
                "\(role): \(refused.stderr)")
        }
        // The same file without the search keys: the checkpoint's 3 simulations decide.
        let open = directory.appendingPathComponent("open.toml").path
        let text = try String(contentsOfFile: config, encoding: .utf8)
        try text.replacingOccurrences(of: "simulations = 2\n", with: "").write(
            toFile: open, atomically: true, encoding: .utf8)
        // A coordinator not told about the checkpoint welcomes with cluster.toml's 2 simulations.
        let stale = try startCoordinator(config)
        let learner = try start(
            ["learner", "--config", open, "--connect", stale, "--resume", checkpoint, "--run-dir", run], log: "learner")
        guard waitFor("the learner to refuse the welcome", seconds: 20, { !learner.isRunning }) else {
            return XCTFail(log("learner"))
        }
        XCTAssertNotEqual(learner.terminationStatus, 0)
        XCTAssertTrue(
            log("learner").contains(
                "welcome searches with simulations 2, rollout_weight 0.0, rollout_rules 1, rollout_endgame 0 but this learner's run has simulations 3, rollout_weight 0.5, rollout_rules 3, rollout_endgame 2"
            ), log("learner"))
        // Told about it, the coordinator welcomes with the checkpoint's search.
        let endpointFile = directory.appendingPathComponent("told.endpoint").path
        try start(
            [
                "coordinator", "--config", open, "--resume", checkpoint, "--bind", "tcp://127.0.0.1:0",
                "--endpoint-file", endpointFile,
            ], log: "told")
        var told = ""
        XCTAssertTrue(
            waitFor("the second coordinator's endpoint", seconds: 20) {
                told = ((try? String(contentsOfFile: endpointFile, encoding: .utf8)) ?? "")
                    .trimmingCharacters(in: .whitespacesAndNewlines)
                return !told.isEmpty
            }, log("told"))
        let resumed = try start(
            ["learner", "--config", open, "--connect", told, "--resume", checkpoint, "--run-dir", run], log: "resumed")
        XCTAssertTrue(
            waitFor("the resumed learner to be welcomed", seconds: 20) {
                self.log("resumed").contains("welcomed (coordinator weights")
            }, log("resumed"))
        XCTAssertTrue(resumed.isRunning, log("resumed"))
        // An actor of that coordinator rolls out as the solo run did.
        try start(["actor", "--config", open, "--connect", told, "--index", "0"], log: "actor")
        XCTAssertTrue(
            waitFor("the actor to be welcomed with the solo run's rollouts", seconds: 20) {
                self.log("actor").contains("rollout_weight 0.5, rollout_rules 3, rollout_endgame 2")
            }, log("actor"))
    }

    /// `ccelim train --sync` (one actor, max_policy_lag 0) with AlphaZero: two runs with the same
    /// seed end with bit-identical weights and the same best order (the actor's Gumbel stream and
    /// the learner's minibatch stream both come from the seed).
    func testSynchronousAlphaZeroRunsAreBitReproducible() throws {
        let config = try writeAlphaZeroConfig(updates: 2)
        let graph = directory.appendingPathComponent("chain.graph").path
        var results: [[String: Any]] = []
        for i in 0..<2 {
            let r = try runCLI([
                "train", "--config", config, "--task", graph, "--sync", "--updates", "2", "--run-dir",
                directory.appendingPathComponent("sync\(i)").path, "--json",
            ])
            XCTAssertEqual(r.status, 0, r.stderr)
            results.append(try jsonObject(r.stdout.split(separator: "\n").last.map(String.init) ?? ""))
        }
        XCTAssertEqual(results[0]["algorithm"] as? String, "alphazero")
        XCTAssertEqual(results[0]["updates"] as? Int, 2)
        XCTAssertNotNil(results[0]["weights_checksum"] as? String)
        XCTAssertEqual(results[0]["weights_checksum"] as? String, results[1]["weights_checksum"] as? String)
        XCTAssertEqual(results[0]["best_order"] as? [Int], results[1]["best_order"] as? [Int])
    }
}
