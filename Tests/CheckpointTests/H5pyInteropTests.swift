import Foundation
import XCTest
import PPO
@testable import Checkpoint

/// A Python user with h5py and no Swift reads everything Docs/CHECKPOINT.md promises.
final class H5pyInteropTests: CheckpointTestCase {
    func testH5pyReadsACheckpoint() throws {
        try Python.requireH5py()
        let (_, s) = try Fixtures.trained(updates: 2)
        let file = path("checkpoint.h5")
        try CheckpointFile.write(s, to: file, codeVersion: "interop")
        let script = """
            import sys, json, h5py, numpy as np
            f = h5py.File(sys.argv[1], "r")
            a = f.attrs
            names = f["parameters"].attrs["names"].split("\\n")
            def flat(group):
                return np.concatenate([f[group][n][()].ravel() for n in names]).astype("<f4")
            p, m1, m2 = flat("parameters"), flat("adam/first_moment"), flat("adam/second_moment")
            h = 0xcbf29ce484222325  # FNV-1a-64 over parameters, first moment, second moment
            for byte in p.tobytes() + m1.tobytes() + m2.tobytes():
                h = ((h ^ byte) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
            task = f["tasks/chain"]
            print(json.dumps({
                "format": a["format"], "version": int(a["version"]), "code_version": a["code_version"], "config": a["config"],
                "seed": int(np.int64(a["seed"]).view(np.uint64)), "updates": int(a["updates"]), "episodes": int(a["episodes"]),
                "steps": int(a["steps"]), "adam_step": int(a["adam_step"]), "policy_version": int(a["policy_version"]),
                "tasks": a["tasks"].split("\\n"),
                "names": names, "shapes": [list(f["parameters"][n].shape) for n in names],
                "dtype": str(f["parameters"][names[0]].dtype), "fletcher32": all(f[g][n].fletcher32 for g in ("parameters", "adam/first_moment", "adam/second_moment") for n in names),
                "p": [float(x) for x in p[:5]], "p_bits": [int(x) for x in p.view(np.uint32)[-5:]], "m2_bits": [int(x) for x in m2.view(np.uint32)[-5:]],
                "count": int(p.size),
                "checksum_ok": int(np.int64(a["checksum_fnv1a64"]).view(np.uint64)) == h,
                "rng": {k: [int(x) for x in f["rng"][k][()].view(np.uint64)] for k in f["rng"]},
                "best_order": [int(x) for x in task["best_order"][()]], "best_cost": int(task["best_order"].attrs["best_cost"]),
                "baselines": [int(x) for x in task["baselines"][()]],
                "network": {"name": f["network"].attrs["name"], "features": int(f["network"].attrs["features"]),
                            "policy_width": int(f["network/policy"].attrs["width"]), "value_layers": int(f["network/value"].attrs["layers"])},
                "hp": {k: (float(v) if isinstance(v, np.floating) else int(v)) for k, v in f["hyperparameters"].attrs.items()},
            }))
            """
        let o = try Python.json(script, [file])
        XCTAssertEqual(o["format"] as? String, "ccelim-checkpoint")
        XCTAssertEqual(o["version"] as? Int, 1)
        XCTAssertEqual(o["code_version"] as? String, "interop")
        XCTAssertEqual(o["config"] as? String, s.configText)
        XCTAssertEqual((o["seed"] as? NSNumber)?.uint64Value, s.seed)
        XCTAssertEqual(o["updates"] as? Int, 2)
        XCTAssertEqual(o["episodes"] as? Int, s.episodes)
        XCTAssertEqual(o["steps"] as? Int, s.steps)
        XCTAssertEqual(o["adam_step"] as? Int, s.adamStep)
        XCTAssertEqual(o["policy_version"] as? Int, Int(s.policyVersion))
        XCTAssertEqual(o["tasks"] as? [String], ["chain"])
        XCTAssertEqual(o["names"] as? [String], s.tensors.map(\.name))
        XCTAssertEqual(o["shapes"] as? [[Int]], s.tensors.map(\.shape))
        XCTAssertEqual(o["dtype"] as? String, "float32")
        XCTAssertEqual(o["fletcher32"] as? Bool, true)
        XCTAssertEqual(o["count"] as? Int, s.parameters.count)
        XCTAssertEqual(o["p_bits"] as? [Int], s.parameters.suffix(5).map { Int($0.bitPattern) })
        XCTAssertEqual(o["m2_bits"] as? [Int], s.secondMoment.suffix(5).map { Int($0.bitPattern) })
        XCTAssertEqual(
            o["checksum_ok"] as? Bool, true, "Python's FNV-1a-64 recomputation must match the stored checksum")
        let rng = o["rng"] as? [String: [NSNumber]]
        XCTAssertEqual(rng?["learner"]?.map(\.uint64Value), s.rngStates["learner"])
        XCTAssertEqual(rng?["actor.0"]?.map(\.uint64Value), s.rngStates["actor.0"])
        XCTAssertEqual(o["best_order"] as? [Int], s.best["chain"]?.order)
        XCTAssertEqual(o["best_cost"] as? Int, s.best["chain"]?.cost)
        XCTAssertEqual(o["baselines"] as? [Int], s.baselines["chain"])
        let network = o["network"] as? [String: Any]
        XCTAssertEqual(network?["name"] as? String, "tiny")
        XCTAssertEqual(network?["features"] as? Int, s.network.features)
        XCTAssertEqual(network?["policy_width"] as? Int, 8)
        XCTAssertEqual(network?["value_layers"] as? Int, 1)
        let hp = o["hp"] as? [String: Any]
        XCTAssertEqual(hp?.count, HyperparameterFields.all.count)
        XCTAssertEqual(hp?["num_envs"] as? Int, 4)
        XCTAssertEqual(hp?["clip_value_loss"] as? Int, 1)
        XCTAssertEqual((hp?["learning_rate"] as? Double).map(Float.init), s.ppoHyperparameters?.learningRate)
    }

    /// h5py opens the log with swmr=True while this process still has it open for writing and
    /// sees exactly the rows flushed so far, orders included; after another append, more.
    func testH5pyFollowsALiveEpisodeLog() throws {
        try Python.requireH5py()
        let file = path("episodes.h5")
        let log = try EpisodeLog.create(at: file, tasks: ["chain"], codeVersion: "interop")
        defer { try? log.close() }
        let trainer = try Fixtures.trainer()
        var reports: [UpdateReport] = []
        func appendUpdate() throws {
            let report = try trainer.runUpdate()
            reports.append(report)
            try log.append(
                report, totalEpisodes: trainer.trainer.episodes, totalSteps: trainer.trainer.steps,
                wallTime: Double(reports.count) * 0.5, seconds: 0.5)
        }
        let script = """
            import sys, json, h5py
            with h5py.File(sys.argv[1], "r", libver="latest", swmr=True) as f:
                e, o, u = f["episodes"], f["orders"], f["updates"]
                orders = [[int(x) for x in o[r["order_offset"]:r["order_offset"] + r["length"]]] for r in e[:]]
                print(json.dumps({
                    "format": f.attrs["format"], "tasks": f.attrs["tasks"],
                    "ids": [int(x) for x in e["id"]], "costs": [int(x) for x in e["cost"]], "orders": orders,
                    "wall_time": [float(x) for x in e["wall_time"]], "updates": [int(x) for x in u["update"]],
                    "best_cost": [int(x) for x in u["best_cost"]], "kl": [float(x) for x in u["losses_approx_kl"]],
                    "fields": list(u.dtype.names), "metric_names": u.attrs["metric_names"],
                }))
            """
        for expected in 1...2 {
            try appendUpdate()
            let o = try Python.json(script, [file])
            XCTAssertEqual(o["format"] as? String, "ccelim-episodes")
            XCTAssertEqual(o["tasks"] as? String, "chain")
            XCTAssertEqual(o["ids"] as? [Int], Array(0..<(4 * expected)))
            XCTAssertEqual(o["costs"] as? [Int], reports.flatMap(\.costs))
            XCTAssertEqual(o["orders"] as? [[Int]], reports.flatMap { $0.played.map(\.order) })
            XCTAssertEqual(
                o["wall_time"] as? [Double],
                reports.indices.flatMap { [Double](repeating: Double($0 + 1) * 0.5, count: 4) })
            XCTAssertEqual(o["updates"] as? [Int], Array(1...expected))
            XCTAssertEqual(o["best_cost"] as? [Int], reports.map(\.best))
            XCTAssertEqual((o["kl"] as? [Double])?.map(Float.init), reports.map(\.metrics.approxKL))
            let fields = o["fields"] as? [String] ?? []
            for (name, _) in UpdateMetrics().named {
                XCTAssertTrue(
                    fields.contains(name.replacingOccurrences(of: "/", with: "_")), "\(name) missing from \(fields)")
            }
            XCTAssertTrue(
                (o["metric_names"] as? String)?.contains("charts_learning_rate charts/learning_rate") ?? false)
        }
    }
}
