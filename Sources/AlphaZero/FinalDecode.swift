import Elimination
import PPO

/// The trained policy's own orders at the end of a run (`ccelim train --solo
/// --final-decode-seconds`, `bench learning-vs-search --final-decode-seconds`; one implementation
/// for both): a deterministic search decode — the run's search with `simulations` per move, its
/// rollouts (λ, k, E) and no Gumbel noise — then, with `deviation`, the policy's greedy decode and
/// deviation search (`PolicyDecoder.deviationSearch`: its runner-up moves completed greedily with
/// exact costs) until `shouldStop`. Every order is scored by the game. Reads the network only:
/// the run's weights, optimiser and counters are what they were (a checkpoint is unchanged).
public enum FinalDecode {
    /// What the decodes found.
    public struct Outcome {
        /// The search decode's order (nil: `simulations` was 0).
        public var search: BestOrder?
        /// The greedy decode and the deviation search's best and completions (nil: no deviation search).
        public var deviation: PolicyDecoder.DeviationSearchResult?

        /// The cheapest order found (the search decode's on a tie), nil when nothing ran.
        public var best: BestOrder? {
            [search, deviation?.best].compactMap { $0 }.min { $0.cost < $1.cost }
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

    /// The search decode (when `simulations` > 0), then (when `deviation`) the deviation search
    /// until `shouldStop` (asked before each of its completions; the search decode is one game,
    /// not interrupted).
    public static func run(
        network: PolicyNetwork, spec: GameSpec, task: Int = 0, settings hp: AlphaZeroHyperparameters,
        simulations: Int, deviation: Bool, seed: UInt64, policyVersion: UInt64, shouldStop: () -> Bool
    ) throws -> Outcome {
        var outcome = Outcome()
        if simulations > 0 {
            outcome.search = try searchDecode(
                network: network, spec: spec, task: task, settings: hp, simulations: simulations, seed: seed,
                policyVersion: policyVersion)
        }
        if deviation {
            outcome.deviation = try PolicyDecoder(network: network, spec: spec).deviationSearch(shouldStop: shouldStop)
        }
        return outcome
    }
}
