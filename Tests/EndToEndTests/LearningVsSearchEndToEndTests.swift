import Foundation
import XCTest

/// `ccelim bench learning-vs-search --methods alphazero-2-actors` through the real binary (the
/// method starts a local cluster of this executable's processes, so it cannot run inside a test
/// bundle): AlphaZero with 2 actors on the 8-vertex chain, 2 simulations and 2 games per update,
/// for 18 s, with leaves valued by rollouts (λ = 1, carried to the actors in the welcome). Its
/// curve ends at its best, which `ccelim cost` confirms is its order's cost.
final class LearningVsSearchEndToEndTests: XCTestCase {
    func testTwoActorsCurveEndsAtTheGameCostOfItsOrder() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ccelim-lvs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let graph = directory.appendingPathComponent("chain.graph").path
        let imported = try runCCElim(["import-jaxpr", try writeChainJaxpr(in: directory), "--output", graph])
        XCTAssertEqual(imported.status, 0, imported.stderr)

        let r = try runCCElim([
            "bench", "learning-vs-search", "--tasks", graph, "--methods", "alphazero-2-actors", "--minutes", "0.3",
            "--simulations", "2", "--az-games", "2", "--rollout-weight", "1", "--json",
        ])
        XCTAssertEqual(r.status, 0, r.stderr)
        let run = try parseJSONObject(r.stdout)
        XCTAssertEqual(run["methods"] as? [String], ["alphazero-2-actors"])
        let task = try XCTUnwrap((run["tasks"] as? [[String: Any]])?.first)
        let method = try XCTUnwrap((task["methods"] as? [String: Any])?["alphazero-2-actors"] as? [String: Any])
        let best = try XCTUnwrap(method["best_cost"] as? Int, "\(method)")
        let order = try XCTUnwrap(method["best_order"] as? [Int])
        let curve = try XCTUnwrap(method["curve"] as? [[String: Any]])
        XCTAssertEqual(curve.last?["best_cost"] as? Int, best, "the curve ends at the best")
        let times = curve.compactMap { $0["seconds"] as? Double }
        XCTAssertEqual(times, times.sorted(), "the curve is in time order")
        XCTAssertEqual(method["actors"] as? Int, 2)
        XCTAssertEqual(method["simulations"] as? Int, 2)
        XCTAssertEqual(method["rollout_weight"] as? Double, 1, "the cluster's λ")
        XCTAssertGreaterThanOrEqual(method["updates"] as? Int ?? 0, 1)
        // The learner's drops by reason, every reason present (zeros included).
        let dropped = try XCTUnwrap(method["dropped"] as? [String: Int], "\(method)")
        XCTAssertEqual(
            Set(dropped.keys), ["unknown_task", "invalid_order", "log_prob", "future_version", "stale", "overflow"])
        XCTAssertEqual(dropped["invalid_order"], 0, "the actors' games are valid orders")
        XCTAssertEqual((task["best_cost"] as? [String: Any])?["alphazero-2-actors"] as? Int, best)

        let cost = try runCCElim(["cost", graph, "--order", order.map(String.init).joined(separator: ","), "--json"])
        XCTAssertEqual(cost.status, 0, cost.stderr)
        XCTAssertEqual(try parseJSONObject(cost.stdout)["cost"] as? Int, best, "its best is its order's game cost")
    }

    /// `alphazero-generalist` from a checkpoint of another algorithm (a 1-update PPO run): the
    /// file and its weights' checksum are named, the loaded policy's greedy and search decodes
    /// come first in the curve, and the best is the cheapest of them and the training's.
    func testTheGeneralistMethodStartsFromTheCheckpointsDecodes() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ccelim-lvs-gen-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (graph, runDir, checksum) = try chainWithPPOCheckpoint(in: directory)

        let r = try runCCElim([
            "bench", "learning-vs-search", "--tasks", graph, "--methods", "alphazero-generalist", "--generalist",
            "\(runDir)/checkpoint.h5", "--minutes", "0.005", "--simulations", "2", "--az-games", "2", "--az-steps",
            "1", "--decode-simulations", "3", "--json",
        ])
        XCTAssertEqual(r.status, 0, r.stderr)
        let task = try XCTUnwrap((try parseJSONObject(r.stdout)["tasks"] as? [[String: Any]])?.first)
        let method = try XCTUnwrap((task["methods"] as? [String: Any])?["alphazero-generalist"] as? [String: Any])
        XCTAssertEqual(method["initialized_from"] as? String, "\(runDir)/checkpoint.h5")
        XCTAssertEqual(method["initialized_from_weights_checksum"] as? String, checksum)
        let greedy = try XCTUnwrap(method["start_greedy_cost"] as? Int, "\(method)")
        let searched = try XCTUnwrap(method["start_decode_cost"] as? Int, "\(method)")
        let best = try XCTUnwrap(method["best_cost"] as? Int)
        XCTAssertLessThanOrEqual(best, min(greedy, searched, try XCTUnwrap(method["training_best_cost"] as? Int)))
        let curve = try XCTUnwrap(method["curve"] as? [[String: Any]])
        XCTAssertEqual(curve.first?["best_cost"] as? Int, greedy, "the greedy decode comes first")
        XCTAssertEqual(curve.last?["best_cost"] as? Int, best, "the curve ends at the best")
        let order = try XCTUnwrap(method["best_order"] as? [Int])
        let cost = try runCCElim(["cost", graph, "--order", order.map(String.init).joined(separator: ","), "--json"])
        XCTAssertEqual(try parseJSONObject(cost.stdout)["cost"] as? Int, best)
    }

    /// `alphazero-2-actors-generalist`: the 2-actor cluster's learner starts from a checkpoint's
    /// weights (a 1-update PPO run's): the JSON names the file and its weights' checksum, and the
    /// cluster's best is its order's game cost.
    func testTheTwoActorClusterStartsFromTheGeneralist() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ccelim-lvs-gen2-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (graph, runDir, checksum) = try chainWithPPOCheckpoint(in: directory)

        let name = "alphazero-2-actors-generalist"
        let r = try runCCElim([
            "bench", "learning-vs-search", "--tasks", graph, "--methods", name, "--generalist",
            "\(runDir)/checkpoint.h5", "--minutes", "0.2", "--simulations", "2", "--az-games", "2", "--json",
        ])
        XCTAssertEqual(r.status, 0, r.stderr)
        let run = try parseJSONObject(r.stdout)
        XCTAssertEqual((run["settings"] as? [String: Any])?["generalist"] as? String, "\(runDir)/checkpoint.h5")
        let task = try XCTUnwrap((run["tasks"] as? [[String: Any]])?.first)
        let method = try XCTUnwrap((task["methods"] as? [String: Any])?[name] as? [String: Any])
        XCTAssertEqual(method["initialized_from"] as? String, "\(runDir)/checkpoint.h5")
        XCTAssertEqual(method["initialized_from_weights_checksum"] as? String, checksum)
        XCTAssertEqual(method["actors"] as? Int, 2)
        XCTAssertGreaterThanOrEqual(method["updates"] as? Int ?? 0, 1)
        let best = try XCTUnwrap(method["best_cost"] as? Int, "\(method)")
        let order = try XCTUnwrap(method["best_order"] as? [Int])
        let cost = try runCCElim(["cost", graph, "--order", order.map(String.init).joined(separator: ","), "--json"])
        XCTAssertEqual(try parseJSONObject(cost.stdout)["cost"] as? Int, best, "its best is its order's game cost")

        let missing = try runCCElim([
            "bench", "learning-vs-search", "--tasks", graph, "--methods", name, "--generalist",
            "\(directory.path)/none.h5", "--minutes", "0.1", "--json",
        ])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.stderr.contains("none.h5"), missing.stderr)
    }

    /// `--final-decode-seconds` must leave training some of `--minutes`: refused before any task
    /// loads, with the reason.
    func testFinalDecodeSecondsOutsideTheBudgetAreRefused() throws {
        for (seconds, rule) in [
            ("-1", "a finite number ≥ 0, not -1.0"), ("60", "below --minutes × 60 = 60.0"),
            ("nan", "a finite number ≥ 0, not nan"),
        ] {
            let r = try runCCElim([
                "bench", "learning-vs-search", "--tasks", "RoeFlux_1d", "--methods", "alphazero", "--minutes", "1",
                "--final-decode-seconds=\(seconds)", "--json",
            ])
            XCTAssertNotEqual(r.status, 0, seconds)
            XCTAssertTrue(r.stderr.contains("--final-decode-seconds must be \(rule)"), r.stderr)
            XCTAssertEqual(r.stdout, "", seconds)
        }
    }

    /// The 8-vertex chain imported into `directory` and a 1-update PPO run on it in
    /// `directory/ppo` (a checkpoint of another algorithm for the generalist methods to start from):
    /// the graph's path, the run folder and its weights' checksum.
    private func chainWithPPOCheckpoint(in directory: URL) throws -> (graph: String, runDir: String, checksum: String) {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let graph = directory.appendingPathComponent("chain.graph").path
        let imported = try runCCElim(["import-jaxpr", try writeChainJaxpr(in: directory), "--output", graph])
        XCTAssertEqual(imported.status, 0, imported.stderr)
        let runDir = directory.appendingPathComponent("ppo").path
        let trained = try runCCElim([
            "train", "--solo", "--task", graph, "--updates", "1", "--envs", "2", "--run-dir", runDir, "--json",
        ])
        XCTAssertEqual(trained.status, 0, trained.stderr)
        let checksum = try XCTUnwrap(try parseJSONObject(trained.stdout)["weights_checksum"] as? String)
        return (graph, runDir, checksum)
    }
}
