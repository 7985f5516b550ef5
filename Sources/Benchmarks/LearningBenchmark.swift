import Console
import Elimination
import Foundation
import PPO

/// PPO from scratch with a fixed seed: the best order's cost against wall time, and when it first
/// reached each baseline (`ccelim bench learning`). A benchmark, not a test: it prints figures.
public enum LearningBenchmark {
    /// Trains `run` (built with `hp`) until `minutes` have passed on `clock` (seconds), calling `progress` with a
    /// line per update, and returns the result object (the curve keeps improvements and every 10th
    /// update).
    public static func run(
        _ run: SoloRun, hp: Hyperparameters, minutes: Double, seed: UInt64, clock: () -> Double = monotonicSeconds,
        progress: (String) -> Void
    ) throws -> JSON {
        let trainer = run.trainer
        let baselines = BaselineSummary(spec: trainer.spec)
        var curve: [JSON] = []
        var reached: [(String, Int, Double?)] = [
            ("markowitz", baselines.markowitz, nil), ("reverse", baselines.reverse, nil),
            ("forward", baselines.forward, nil), ("best_baseline", baselines.best, nil),
        ]
        let start = clock()
        var lastBest = Int.max
        while clock() - start < minutes * 60 {
            let report = try run.runUpdate()
            let t = clock() - start
            for i in reached.indices where reached[i].2 == nil && report.best <= reached[i].1 { reached[i].2 = t }
            if report.best < lastBest || report.update % 10 == 0 {
                curve.append(
                    .object([
                        ("seconds", .double(rounded(t, per: 10))), ("update", .int(report.update)),
                        ("episodes", .int(trainer.episodes)), ("best_cost", .int(report.best)),
                        ("mean_cost", .double(rounded(report.meanCost, per: 10))),
                    ]))
                lastBest = report.best
            }
            progress(
                String(
                    format: "%7.1fs update %4d  mean %8.1f  batch best %6d  best %6d  entropy %.3f  kl %.4f",
                    t, report.update, report.meanCost, report.batchBest, report.best, report.metrics.entropy,
                    report.metrics.approxKL))
        }
        guard let best = trainer.best else {
            throw BenchmarkError("no update finished within \(minutes) minutes; give more --minutes")
        }
        let confirmed = try Baselines.score(best.order, on: trainer.spec).cost
        guard confirmed == best.cost else {
            throw BenchmarkError("internal error: best order re-scores to \(confirmed)")
        }
        return .object([
            ("benchmark", .string("learning")), ("task", .string(trainer.spec.name)),
            ("preset", .string(trainer.network.config.name)),
            ("seed", .int(Int(seed))), ("minutes", .double(minutes)),
            ("learning_rate", .double(Double(hp.learningRate))),
            ("num_envs", .int(hp.numEnvs)), ("update_epochs", .int(hp.updateEpochs)),
            ("blas_coretype", .string(blasCoreType)),
            ("updates", .int(trainer.updates)), ("episodes", .int(trainer.episodes)),
            ("best_cost", .int(best.cost)), ("best_order", .ints(best.order)),
            (
                "baselines",
                .object([
                    ("forward", .int(baselines.forward)), ("reverse", .int(baselines.reverse)),
                    ("markowitz", .int(baselines.markowitz)),
                ])
            ),
            ("seconds_to_reach", .object(reached.map { ($0.0, $0.2.map { .double(rounded($0, per: 10)) } ?? .null) })),
            ("curve", .array(curve)),
        ])
    }
}
