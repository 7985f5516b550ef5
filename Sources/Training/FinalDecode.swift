import AlphaZero
import Console
import Elimination
import Foundation
import Optimize
import PPO
import Search

/// The trained policy's own orders at the end of an AlphaZero run (`ccelim train --solo
/// --final-decode-seconds`, `bench learning-vs-search --final-decode-seconds`; one implementation
/// for both): a deterministic search decode — the run's search with `simulations` per move, its
/// rollouts (λ, k, E) and no Gumbel noise — then, with all the time left, the zero-shot pipeline of
/// `ccelim optimize` (`LoadedPolicy.decode`, the same code) on the trained weights: the greedy
/// decode and the deviation search, beams, sampled orders until the polish's and the descent's
/// shares are left, then the exact window polish and the long-range descent from the cheapest
/// order — the search decode's and the caller's `starts` (a run's best so far) are candidates for
/// those two as well — and, while time is left after them, rounds of fresh samples polished and
/// descended (`LoadedPolicy.decode`'s rounds) until the budget is used. Every order is scored by the game. Reads the network only: the run's
/// weights, optimiser and counters are what they were (a checkpoint is unchanged).
public enum FinalDecode {
    /// Every key `Outcome.fields` may write, in its order.
    public static let fieldKeys = [
        "simulations", "search_cost", "greedy_cost", "deviation_cost", "deviation_completions", "beam_cost", "beams",
        "samples_cost", "samples", "polish_cost", "descent_cost", "rounds_cost", "rounds", "best_method", "seconds",
    ]
    /// The search decode's method in `Outcome.results`.
    public static let searchMethod = "search-decode"
    /// Most orders sampled per batch (one batched pass of `Actor.play`): the batches continue, each
    /// as many as fit, until the decoders' share of the budget is used (no cap on their number).
    public static let sampleBatch = 32

    /// What the decodes found.
    public struct Outcome {
        /// Simulations per move of the search decode (0: none ran).
        public var simulations: Int
        /// Every order found, in the order found: the search decode's (`searchMethod`, when
        /// `simulations` > 0), then `LoadedPolicy.decode`'s ("policy-greedy", "policy-search" — the
        /// deviation search —, "policy-beam", "policy-samples", "policy-polish", "policy-descent",
        /// "policy-rounds";
        /// those that ran), each scored by the game.
        public var results: [SearchResult]
        /// Wall-clock seconds the decodes took.
        public var seconds: Double

        /// The cheapest order found (the earliest on a tie), nil when nothing ran.
        public var best: SearchResult? { results.min { $0.cost < $1.cost } }

        /// The JSON's `final_decode` fields: `simulations`, each stage's cost (`search_cost`: the
        /// search decode; `greedy_cost`; `deviation_cost` and `deviation_completions`: the
        /// deviation search, when it completed more than the greedy decode; `beam_cost` and
        /// `beams`; `samples_cost` and `samples`; `polish_cost`; `descent_cost`; `rounds_cost` and
        /// `rounds`: the rounds after the first pass, when time was left), `best_method`
        /// (the stage whose order is cheapest) and `seconds`.
        public var fields: [(String, JSON)] {
            var out: [(String, JSON)] = [("simulations", .int(simulations))]
            for r in results {
                let stage =
                    r.method.hasPrefix(LoadedPolicy.methodPrefix)
                    ? String(r.method.dropFirst(LoadedPolicy.methodPrefix.count)) : r.method
                switch stage {
                case FinalDecode.searchMethod: out.append(("search_cost", .int(r.cost)))
                case "search":
                    out += [("deviation_cost", .int(r.cost)), ("deviation_completions", .int(r.evaluations))]
                case "beam": out += [("beam_cost", .int(r.cost)), ("beams", .int(r.evaluations))]
                case "samples": out += [("samples_cost", .int(r.cost)), ("samples", .int(r.evaluations))]
                case "rounds": out += [("rounds_cost", .int(r.cost)), ("rounds", .int(r.evaluations))]
                default: out.append(("\(stage)_cost", .int(r.cost)))
                }
            }
            if let best { out.append(("best_method", .string(best.method))) }
            out.append(("seconds", .double((seconds * 100).rounded() / 100)))
            return out
        }
    }

    /// One deterministic game of the search with `simulations` per move on `spec` (task index
    /// `task` of the network), `hp`'s rollouts and c_scale, no Gumbel noise.
    public static func searchDecode(
        network: PolicyNetwork, spec: GameSpec, task: Int = 0, settings hp: AlphaZeroHyperparameters,
        simulations: Int, seed: UInt64, policyVersion: UInt64
    ) throws -> BestOrder {
        var decodeHP = hp
        decodeHP.simulations = simulations
        decodeHP.gumbelScale = 0
        let decoder = SelfPlay(
            evaluator: RolloutLeafEvaluator.wrapping(NetworkLeafEvaluator(network: network), hp: decodeHP),
            hp: decodeHP, seed: seed, id: 1)
        let game = try decoder.play(spec, task: task, count: 1, policyVersion: policyVersion)
        let order = game.episodes[0].order.map(Int.init)
        return BestOrder(cost: try Baselines.score(order, on: spec).cost, order: order)
    }

    /// The search decode (when `simulations` > 0; one game, not interrupted), then
    /// `LoadedPolicy.decode` of `network`'s weights with the rest of `seconds` (wall time on
    /// `clock`, monotonic seconds), `starts` and the search decode's order joining its polish and
    /// descent. With no time left after the search decode, `LoadedPolicy.decode`'s budget-less
    /// form runs (the greedy decode and one batch of samples).
    public static func run(
        network: PolicyNetwork, spec: GameSpec, task: Int = 0, settings hp: AlphaZeroHyperparameters,
        simulations: Int, seconds: Double, starts: [SearchResult] = [], seed: UInt64, policyVersion: UInt64,
        clock: () -> Double
    ) throws -> Outcome {
        let t0 = clock()
        var results: [SearchResult] = []
        if simulations > 0 {
            let found = try searchDecode(
                network: network, spec: spec, task: task, settings: hp, simulations: simulations, seed: seed,
                policyVersion: policyVersion)
            results.append(
                try SearchResult.rescored(method: searchMethod, order: found.order, evaluations: 1, on: spec))
        }
        let trained = LoadedPolicy(
            path: "", network: network.config, parameters: network.parameterArray(), tasks: [spec.name], updates: 0)
        results += try trained.decode(
            spec, batch: sampleBatch, seconds: max(0, seconds - (clock() - t0)), maxSamples: .max, seed: seed,
            starts: results + starts, clock: clock)
        return Outcome(simulations: simulations, results: results, seconds: clock() - t0)
    }
    /// The final decode of every task of a run (`ccelim train --final-decode-seconds`: the solo
    /// run's, and the cluster learner's after its last update, on the weights it has), each task
    /// `run` until its share of the time left before `end`, the task's best so far in `summary`
    /// (self-play's or the init decode's) joining its polish and descent; a cheaper order,
    /// re-scored by the game, becomes the task's best in `summary` (`best_from` "final-decode",
    /// `best_method` the stage); the trainer's own best (what a checkpoint holds) is not touched.
    /// Each task's figures go to `log` as one line. Returns the JSON's `final_decode` (one task's
    /// fields, or an object of them by task).
    public static func decodeTasks(
        network: PolicyNetwork, specs: [GameSpec], settings hp: AlphaZeroHyperparameters, simulations: Int,
        seed: UInt64, policyVersion: UInt64, summary: inout RunSummary, until end: Date, log: (String) -> Void
    ) throws(SoloTrainingError) -> JSON {
        var perTask: [(String, JSON)] = []
        let decodeStart = Date()
        for (i, spec) in specs.enumerated() {
            let share = end.timeIntervalSince(decodeStart) * Double(i + 1) / Double(specs.count)
            let taskEnd = decodeStart.addingTimeInterval(share)
            let starts =
                summary.tasks[i].best.map {
                    [
                        SearchResult(
                            method: summary.tasks[i].bestFrom.rawValue, order: $0.order, cost: $0.cost, evaluations: 0)
                    ]
                } ?? []
            let outcome: Outcome
            do {
                outcome = try run(
                    network: network, spec: spec, task: i, settings: hp, simulations: simulations,
                    seconds: taskEnd.timeIntervalSinceNow, starts: starts, seed: seed, policyVersion: policyVersion,
                    clock: monotonicSeconds)
            } catch {
                throw SoloTrainingError("final decode of \(spec.name): \(error)")
            }
            let fields = outcome.fields
            log("final decode of \(spec.name): " + fields.map { "\($0.0) \($0.1.text)" }.joined(separator: ", "))
            if let best = outcome.best, best.cost < summary.tasks[i].best?.cost ?? Int.max {
                // Never report an order the game does not confirm.
                let confirmed: Int
                do {
                    confirmed = try Baselines.score(best.order, on: spec).cost
                } catch {
                    throw SoloTrainingError("final decode of \(spec.name): \(error)")
                }
                guard confirmed == best.cost else {
                    throw SoloTrainingError(
                        "internal error: the final decode's order of \(spec.name) re-scores to \(confirmed), not \(best.cost)"
                    )
                }
                summary.tasks[i].best = BestOrder(cost: best.cost, order: best.order)
                summary.tasks[i].bestFrom = .finalDecode
                summary.tasks[i].bestMethod = best.method
            }
            perTask.append((spec.name, .object(fields)))
        }
        return specs.count == 1 ? perTask[0].1 : .object(perTask)
    }
}
