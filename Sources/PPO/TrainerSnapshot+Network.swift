import Elimination
import NeuralNet
import Randomness

// What `Trainer` uses when it takes and restores
// snapshots: the network's weights and Adam state, the best orders (re-scored, never trusted), the
// checks that a snapshot fits this run.

extension TrainerSnapshot {
    /// The snapshot of a run training `network` on `specs` (named `taskNames`) with an algorithm
    /// whose own part is `algorithmState`.
    public init(
        taskNames: [String], specs: [GameSpec], network: PolicyNetwork, algorithmState: any AlgorithmState,
        configText: String,
        seed: UInt64,
        updates: Int, policyVersion: UInt64, episodes: Int, steps: Int, rngStates: [String: [UInt64]],
        bestByTask: [Int: BestOrder]
    ) {
        let store = network.store
        let state = store.optimizerState()
        var best: [String: BestOrder] = [:]
        var baselines: [String: [Int]] = [:]
        for (task, name) in taskNames.enumerated() {
            if let b = bestByTask[task] { best[name] = b }
            let s = BaselineSummary(spec: specs[task])
            baselines[name] = [s.forward, s.reverse, s.markowitz]
        }
        self.init(
            tasks: taskNames, network: network.config, algorithmState: algorithmState, configText: configText,
            seed: seed,
            tensors: store.layout.tensors.map { ($0.name, $0.shape) },
            parameters: state.parameters, firstMoment: state.firstMoment, secondMoment: state.secondMoment,
            adamStep: state.step, updates: updates, policyVersion: policyVersion, episodes: episodes, steps: steps,
            rngStates: rngStates, best: best, baselines: baselines)
    }

    /// Checks that this snapshot continues a run of `taskNames` with `network`'s shape, and
    /// re-scores its best orders on `specs`. Returns them by task index. Changes nothing.
    public func checkedBestOrders(
        taskNames: [String], specs: [GameSpec], network: PolicyNetwork
    ) throws(PPOError) -> [Int: BestOrder] {
        guard tasks == taskNames else {
            throw .incompatible(
                "the checkpoint trains \(tasks.joined(separator: ", ")), this run trains \(taskNames.joined(separator: ", "))"
            )
        }
        let store = network.store
        guard self.network == network.config,
            tensors.map({ "\($0.name)\($0.shape)" }) == store.layout.tensors.map({ "\($0.name)\($0.shape)" })
        else {
            throw .incompatible(
                "the checkpoint's network (\(self.network)) differs from this run's (\(network.config))")
        }
        guard parameters.count == store.count, firstMoment.count == store.count, secondMoment.count == store.count
        else {
            throw .incompatible("the checkpoint's buffers do not match the layout (\(store.count) numbers)")
        }
        var restored: [Int: BestOrder] = [:]
        for (task, name) in taskNames.enumerated() {
            guard let stored = best[name] else { continue }
            // Never trust a stored cost: re-score the order on this graph.
            guard let rescored = try? Baselines.score(stored.order, on: specs[task]), rescored.cost == stored.cost
            else {
                throw .incompatible(
                    "the checkpoint's best order for \(name) does not re-score to its stored cost \(stored.cost)")
            }
            restored[task] = stored
        }
        return restored
    }

    /// A random stream stored under `role`, or a typed error naming it.
    public func randomStream(_ role: String) throws(PPOError) -> Xoshiro256StarStar {
        guard let rng = rngStates[role].flatMap(Xoshiro256StarStar.init(checkpointState:)) else {
            throw .incompatible("the checkpoint lacks the \(role) random state")
        }
        return rng
    }

    /// Weights and Adam state into `network` (after `checkedBestOrders` said the shapes fit).
    public func loadOptimizerState(into network: PolicyNetwork) {
        network.store.load(
            ParameterStore.OptimizerState(
                parameters: parameters, firstMoment: firstMoment,
                secondMoment: secondMoment, step: adamStep))
    }
}
