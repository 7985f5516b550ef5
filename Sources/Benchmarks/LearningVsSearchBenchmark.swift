import AlphaZero
import Cluster
import ClusterShell
import Console
import Elimination
import Foundation
import NeuralNet
import PPO
import Search
import Training

/// Learning against search (issue 13, item 5; `ccelim bench learning-vs-search`): on one task,
/// each method gets the same wall-clock budget in the same process, one after the other, and the
/// best cost is recorded against wall time:
/// - `ppo`: the PPO solo run (`SoloRun`, the paper's per-task hyperparameters), from scratch;
/// - `alphazero`: the Gumbel AlphaZero solo run (`AlphaZeroSoloRun`), from scratch or, with
///   `expertGames`, warm-started from the greedy rules' and forward/reverse orders put in its
///   replay buffer (`ExpertGames`) and `stepsPerBatch` Adam steps on them before the first game
///   (the best cost is still a self-played game's); with
///   `decodeSimulations > 0` the trained policy then plays one deterministic game with that many
///   simulations per move (decoding with search, which the issue counts), timed with the run;
/// - `alphazero-generalist`: the same AlphaZero solo run fine-tuned from a trained policy (`ccelim
///   train --solo --algorithm alphazero --init CKPT`; the command passes the shipped
///   Datasets/policies/generalist.h5 unless told otherwise): reading the checkpoint counts in the
///   budget, the curve starts when the run is built (t = 0), and the JSON names the file and its
///   weights' checksum. Before any self-play the loaded policy decodes greedily and (with
///   `decodeSimulations`) with a deterministic search, timed in the budget (`start_greedy_cost`,
///   `start_decode_cost`): what the trained policy gives at once;
/// - `anneal`: `ccelim search --method anneal` in-process (`SearchPortfolio`), one run with the
///   reference budget (`annealReferenceSeconds`, the 60 s) and one with the whole budget;
///   each is its own cooling schedule, so the curve has those two points after the start order
///   (in time order, each the best of the runs finished by then; `runs` has each run's own);
/// - `alphazero-2-actors`: the same AlphaZero settings (task, seed, simulations, c_scale, games per
///   update, preset, rollout weight λ; Adam steps per update: the task preset's, the cluster has no key for them) in the
///   local cluster (`EmbeddedCluster`: coordinator, learner and 2 actors as child processes of the
///   running `ccelim`, cluster.toml's defaults otherwise) for the budget, in a temporary run folder
///   (removed after a successful run). Its curve is the learner's updates.jsonl, each line timed
///   when this process saw it (polled every 0.1 s) from the cluster's start, so startup counts;
///   no expert games, no decode. Only from the `ccelim` executable (the children are
///   `ccelim coordinator|learner|actor`).
/// - `alphazero-2-actors-generalist`: the same cluster whose learner starts from `generalist`'s
///   weights (`ccelim train --algorithm alphazero --init CKPT`); the JSON names the file and its
///   weights' checksum, as `alphazero-generalist`'s does. No start decodes (the cluster has none).
/// Budgets are checked between updates (a learning method runs at least one), so a learning
/// method can overrun by one update; the curve says when each best was reached. Every best order
/// is re-scored by the game.
public struct LearningVsSearchBenchmark {
    public enum Method: String, CaseIterable, Sendable {
        case ppo
        case alphazero
        case anneal
        case alphazeroTwoActors = "alphazero-2-actors"
        case alphazeroGeneralist = "alphazero-generalist"
        case alphazeroTwoActorsGeneralist = "alphazero-2-actors-generalist"

        /// The methods that start from `generalist`'s weights.
        public var startsFromGeneralist: Bool { self == .alphazeroGeneralist || self == .alphazeroTwoActorsGeneralist }
    }

    public var config: NetworkConfig
    public var minutes: Double
    public var methods: [Method]
    public var seed: UInt64
    /// AlphaZero's own options (`AlphaZeroOptions`), on top of the task preset. The search
    /// overrides apply in self-play (solo, and the 2-actor cluster's actors through the welcome,
    /// protocol 6) and in the search decodes. `decodeSimulations` (nil or 0: none): simulations of
    /// the deterministic search decode of AlphaZero's policy — at the start for
    /// `alphazero-generalist`, after training, and in the final decode. `finalDecodeSeconds`
    /// (solo; 0: none, training takes the whole budget and the search decode, if any, runs after
    /// it): seconds at the end of the budget kept for the final decode. Training stops that long
    /// before the budget ends (no update is started that would run into it, judged by the last
    /// update's time); then the trained policy's `FinalDecode` (as `ccelim train --solo`'s: the
    /// search decode with `decodeSimulations`, then `ccelim optimize`'s zero-shot pipeline —
    /// deviation search, beams, samples, the exact polish and the long-range descent, the run's
    /// best so far among their starts) until the budget ends (JSON: `final_decode`); the run's
    /// best is the cheapest of self-play's, the start decodes' and these. Checked by
    /// `problem(algorithm: nil, minutes:, decodeAlone: true)`.
    public var alphaZero = AlphaZeroOptions()
    /// AlphaZero's games per update and (solo) Adam steps per update (nil: the task preset's).
    public var gamesPerUpdate: Int?
    public var stepsPerBatch: Int?
    /// Warm-start AlphaZero's replay buffer with the greedy rules' orders.
    public var expertGames = false
    /// The annealing reference budget (the "60 s of annealing"), also run when shorter
    /// than the whole budget.
    public var annealReferenceSeconds = 60.0
    /// The checkpoint `alphazero-generalist` starts from (required for that method).
    public var generalist: String?
    /// Where the cluster's processes find the tasks (`--datasets`; nil: the default lookup).
    public var datasets: String?
    public var clock: () -> Double = monotonicSeconds

    public init(config: NetworkConfig, minutes: Double, methods: [Method], seed: UInt64) {
        self.config = config
        self.minutes = minutes
        self.methods = methods
        self.seed = seed
    }

    var budget: Double { minutes * 60 }

    /// Every method on `graph`; one JSON object for the task, `progress` gets a line per update.
    /// `task`: how the cluster's processes load it (a task name or a graph file; nil: its name).
    public func run(_ graph: ComputationalGraph, task: String? = nil, progress: (String) -> Void) throws -> JSON {
        let spec = GameSpec(graph: graph)
        let baselines = BaselineSummary(spec: spec)
        var results: [(String, JSON)] = []
        var summary: [(String, JSON)] = []
        for method in methods {
            let loadStart = SearchBenchmark.loadAverage()
            var fields: [(String, JSON)]
            switch method {
            case .ppo: fields = try ppo(graph, progress: progress)
            case .alphazero: fields = try alphaZero(graph, progress: progress)
            case .alphazeroGeneralist:
                guard let generalist else {
                    throw BenchmarkError("alphazero-generalist needs the checkpoint to start from (--generalist PATH)")
                }
                fields = try alphaZero(graph, initialize: generalist, progress: progress)
            case .anneal: fields = try anneal(spec, progress: progress)
            case .alphazeroTwoActors:
                fields = try alphaZeroCluster(
                    graph, task: task ?? graph.name, actors: 2, method: method, progress: progress)
            case .alphazeroTwoActorsGeneralist:
                guard let generalist else {
                    throw BenchmarkError(
                        "alphazero-2-actors-generalist needs the checkpoint to start from (--generalist PATH)")
                }
                fields = try alphaZeroCluster(
                    graph, task: task ?? graph.name, actors: 2, method: method, initialize: generalist,
                    progress: progress)
            }
            fields.append(
                (
                    "load_average_1min",
                    .object([("start", .double(loadStart)), ("end", .double(SearchBenchmark.loadAverage()))])
                ))
            if case .int(let cost)? = fields.first(where: { $0.0 == "best_cost" })?.1 {
                summary.append((method.rawValue, .int(cost)))
                progress("\(graph.name): \(method.rawValue) best \(cost)")
            }
            results.append((method.rawValue, .object(fields)))
        }
        return .object([
            ("task", .string(graph.name)), ("eliminable", .int(spec.eliminable.count)),
            (
                "baselines",
                .object([
                    ("forward", .int(baselines.forward)), ("reverse", .int(baselines.reverse)),
                    ("markowitz", .int(baselines.markowitz)),
                ])
            ),
            ("best_cost", .object(summary)), ("methods", .object(results)),
        ])
    }

    /// The whole run's object around the tasks' (`run`).
    public func json(tasks: [JSON]) -> JSON {
        var settings: [(String, JSON)] = [
            ("seed", .int(Int(truncatingIfNeeded: seed))), ("expert_games", .bool(expertGames)),
            ("decode_simulations", .int(alphaZero.decodeSimulations ?? 0)),
            ("anneal_reference_seconds", .double(annealReferenceSeconds)),
        ]
        if let simulations = alphaZero.simulations { settings.append(("simulations", .int(simulations))) }
        if let gamesPerUpdate { settings.append(("games_per_update", .int(gamesPerUpdate))) }
        if let stepsPerBatch { settings.append(("steps_per_batch", .int(stepsPerBatch))) }
        if let cScale = alphaZero.cScale { settings.append(("c_scale", .double(cScale))) }
        if alphaZero.finalDecodeSeconds > 0 {
            settings.append(("final_decode_seconds", .double(alphaZero.finalDecodeSeconds)))
        }
        if let rolloutWeight = alphaZero.rolloutWeight { settings.append(("rollout_weight", .double(rolloutWeight))) }
        if let rolloutRules = alphaZero.rolloutRules { settings.append(("rollout_rules", .int(rolloutRules))) }
        if let rolloutEndgame = alphaZero.rolloutEndgame { settings.append(("rollout_endgame", .int(rolloutEndgame))) }
        if methods.contains(where: \.startsFromGeneralist), let generalist {
            settings.append(("generalist", .string(generalist)))
        }
        return .object([
            ("benchmark", .string("learning-vs-search")), ("build", .string(buildConfiguration)),
            ("preset", .string(config.name)), ("minutes", .double(minutes)),
            ("methods", .array(methods.map { .string($0.rawValue) })), ("settings", .object(settings)),
            ("blas_coretype", .string(blasCoreType)), ("tasks", .array(tasks)),
        ])
    }

    /// A curve point.
    private func point(_ seconds: Double, _ cost: Int) -> JSON {
        .object([("seconds", .double(rounded(seconds, per: 10))), ("best_cost", .int(cost))])
    }

    private func confirmed(_ best: BestOrder, on spec: GameSpec, method: String) throws -> BestOrder {
        let cost = try Baselines.score(best.order, on: spec).cost
        guard cost == best.cost else {
            throw BenchmarkError("internal error: \(method)'s best order re-scores to \(cost), not \(best.cost)")
        }
        return best
    }

    // MARK: Methods

    /// Runs `run` until the budget less `reserve` seconds (of which `spent` seconds went before),
    /// one curve point per improvement; times count from the budget's start. With a reserve, an
    /// update starts only if one as long as the last would end before the reserve (an update of
    /// Encoder's can take minutes on a loaded machine); without, the last update may overrun.
    private func train<Algorithm>(
        _ run: AlgorithmSoloRun<Algorithm>, name: String, spent: Double = 0, reserve: Double = 0,
        progress: (String) -> Void
    ) throws -> (curve: [JSON], seconds: Double, playing: Double, training: Double) {
        run.clock = clock
        var curve: [JSON] = [], lastBest = Int.max
        var playing = 0.0, training = 0.0
        let start = clock() - spent
        var now = clock() - start, lastUpdate = 0.0
        // At least one update, also when loading and start decodes used the budget up.
        while now + (reserve > 0 ? lastUpdate : 0) < budget - reserve || run.trainer.updates == 0 {
            let report = try run.runUpdate()
            playing += run.lastTiming.playing
            training += run.lastTiming.training
            let t = clock() - start
            lastUpdate = t - now
            now = t
            if report.best < lastBest {
                curve.append(point(t, report.best))
                lastBest = report.best
            }
            progress(
                String(
                    format: "%@ %@ %7.1fs update %4d  mean %8.1f  batch best %6d  best %6d", name,
                    Algorithm.kind.rawValue, t, report.update, report.meanCost, report.batchBest, report.best))
        }
        return (curve, clock() - start, playing, training)
    }

    private func ppo(_ graph: ComputationalGraph, progress: (String) -> Void) throws -> [(String, JSON)] {
        let run = try SoloRun(graph: graph, network: config, hp: Hyperparameters.preset(task: graph.name), seed: seed)
        let (curve, seconds, playing, training) = try train(run, name: graph.name, progress: progress)
        guard let best = run.trainer.best else {
            throw BenchmarkError("PPO finished no update on \(graph.name) in \(minutes) minutes; give more --minutes")
        }
        let b = try confirmed(best, on: run.trainer.spec, method: "ppo")
        return [
            ("best_cost", .int(b.cost)), ("best_order", .ints(b.order)),
            ("seconds", .double(rounded(seconds, per: 10))),
            ("updates", .int(run.trainer.updates)), ("episodes", .int(run.trainer.episodes)),
            ("playing_seconds", .double(rounded(playing, per: 10))),
            ("training_seconds", .double(rounded(training, per: 10))), ("curve", .array(curve)),
        ]
    }

    /// The greedy rules' orders and forward and reverse mode, distinct: AlphaZero's expert games.
    static func expertOrders(_ spec: GameSpec) -> [[Int]] {
        var orders: [[Int]] = []
        for order in GreedyRule.all.map({ GreedyElimination.order(spec, rule: $0) }) + [
            Baselines.forwardOrder(spec), Baselines.reverseOrder(spec),
        ] where !orders.contains(order) {
            orders.append(order)
        }
        return orders
    }

    /// `initialize`: the checkpoint whose weights the run starts from (`InitialWeights`).
    private func alphaZero(
        _ graph: ComputationalGraph, initialize: String? = nil, progress: (String) -> Void
    ) throws -> [(String, JSON)] {
        let hp = try alphaZeroSettings(graph.name)
        let decodeSimulations = alphaZero.decodeSimulations ?? 0
        let finalDecodeSeconds = alphaZero.finalDecodeSeconds
        let start = clock()
        let run = try AlphaZeroSoloRun(graphs: [graph], network: config, settings: hp, seed: seed)
        let spec = run.trainer.spec
        var experts = 0
        var fields: [(String, JSON)] = []
        if let initialize {
            let weights = try InitialWeights.read(initialize)
            try weights.load(into: run.trainer.network)
            fields += [
                ("initialized_from", .string(weights.path)),
                ("initialized_from_weights_checksum", .string(weights.weightsChecksum)),
            ]
        }
        if expertGames {
            let orders = Self.expertOrders(spec)
            try run.trainer.algorithm.addExpertGames(orders.map { (task: 0, order: $0) })
            experts = orders.count
            // Pretraining on them before the first self-play, so the first games already search
            // with the imitating policy (one update's worth of Adam steps, inside the budget).
            _ = try run.trainer.algorithm.takeSteps(hp.stepsPerBatch, learningRate: hp.learningRate)
        }
        let method = initialize == nil ? Method.alphazero : Method.alphazeroGeneralist
        /// The deterministic search decode of the current policy (`decodeSimulations` per move).
        func searchDecode() throws -> BestOrder {
            try FinalDecode.searchDecode(
                network: run.trainer.network, spec: spec, settings: hp, simulations: decodeSimulations, seed: seed,
                policyVersion: run.trainer.policyVersion)
        }
        // A trained policy's own orders before any self-play (the amortisation the generalist
        // buys): its greedy decode and, with decodeSimulations, its search decode, in the budget.
        var startBest: BestOrder?
        var startCurve: [JSON] = []
        if initialize != nil {
            let greedy = try PolicyDecoder(network: run.trainer.network, spec: spec).greedy().order
            var found = BestOrder(cost: try Baselines.score(greedy, on: spec).cost, order: greedy)
            fields.append(("start_greedy_cost", .int(found.cost)))
            startCurve.append(point(clock() - start, found.cost))
            progress("\(graph.name) \(method.rawValue) greedy decode at the start: \(found.cost)")
            if decodeSimulations > 0 {
                let searched = try searchDecode()
                fields.append(("start_decode_cost", .int(searched.cost)))
                progress(
                    "\(graph.name) \(method.rawValue) search decode at the start (\(decodeSimulations) simulations): \(searched.cost)"
                )
                if searched.cost < found.cost {
                    found = searched
                    startCurve.append(point(clock() - start, found.cost))
                }
            }
            startBest = found
        }
        let pretraining = clock() - start
        let trainedRun = try train(
            run, name: graph.name, spent: pretraining, reserve: finalDecodeSeconds, progress: progress)
        var seconds = trainedRun.seconds
        // The training curve counts where it beats what the start found.
        var curve =
            startCurve
            + trainedRun.curve.filter {
                guard case .object(let f) = $0, case .int(let cost)? = f.first(where: { $0.0 == "best_cost" })?.1
                else { return false }
                return cost < startBest?.cost ?? Int.max
            }
        let (playing, training) = (trainedRun.playing, trainedRun.training)
        guard let trained = run.trainer.best else {
            throw BenchmarkError(
                "AlphaZero finished no update on \(graph.name) in \(minutes) minutes; give more --minutes")
        }
        var best = try confirmed(trained, on: spec, method: method.rawValue)
        if let startBest, startBest.cost < best.cost {
            best = try confirmed(startBest, on: spec, method: method.rawValue)
        }
        if finalDecodeSeconds > 0 {
            // The trained policy's final decode (`FinalDecode`, as `ccelim train --solo`'s) until
            // the budget ends, the run's best so far joining its polish and descent.
            let final = try FinalDecode.run(
                network: run.trainer.network, spec: spec, settings: hp, simulations: decodeSimulations,
                seconds: budget - (clock() - start),
                starts: [SearchResult(method: "run", order: best.order, cost: best.cost, evaluations: 0)], seed: seed,
                policyVersion: run.trainer.policyVersion, clock: clock)
            seconds = clock() - start
            progress(
                "\(graph.name) \(method.rawValue) final decode: "
                    + final.fields.map { "\($0.0) \($0.1.text)" }.joined(separator: ", "))
            fields.append(("final_decode", .object(final.fields)))
            if let found = final.best, found.cost < best.cost {
                best = try confirmed(BestOrder(cost: found.cost, order: found.order), on: spec, method: method.rawValue)
                curve.append(point(seconds, best.cost))
            }
        } else if decodeSimulations > 0 {
            let decoded = try searchDecode()
            seconds = clock() - start
            progress(
                "\(graph.name) \(method.rawValue) search decode (\(decodeSimulations) simulations): \(decoded.cost)")
            fields.append(("decode_cost", .int(decoded.cost)))
            if decoded.cost < best.cost {
                best = decoded
                curve.append(point(seconds, decoded.cost))
            }
        }
        return [
            ("best_cost", .int(best.cost)), ("best_order", .ints(best.order)),
            ("seconds", .double(rounded(seconds, per: 10))), ("training_best_cost", .int(trained.cost)),
        ] + fields + [
            ("updates", .int(run.trainer.updates)), ("games", .int(run.trainer.episodes)),
            ("expert_games", .int(experts)), ("pretraining_seconds", .double(rounded(pretraining, per: 10))),
            ("simulations", .int(hp.simulations)),
            ("games_per_update", .int(hp.gamesInLockstep)), ("steps_per_batch", .int(hp.stepsPerBatch)),
            ("minibatch_size", .int(hp.minibatchSize)),
            ("playing_seconds", .double(rounded(playing, per: 10))),
            ("training_seconds", .double(rounded(training, per: 10))), ("curve", .array(curve)),
        ]
    }

    /// The AlphaZero settings both AlphaZero methods run with.
    private func alphaZeroSettings(_ task: String) throws -> AlphaZeroHyperparameters {
        var hp = AlphaZeroHyperparameters.preset(task: task)
        alphaZero.apply(to: &hp)
        if let gamesPerUpdate { hp.gamesInLockstep = gamesPerUpdate }
        if let stepsPerBatch { hp.stepsPerBatch = stepsPerBatch }
        try hp.validate()
        return hp
    }

    /// `method`: `alphazero-2-actors`, or `alphazero-2-actors-generalist` with `initialize` (the
    /// learner's first weights, `EmbeddedCluster.initialize`; reading them counts in the budget).
    private func alphaZeroCluster(
        _ graph: ComputationalGraph, task: String, actors: Int, method: Method, initialize: String? = nil,
        progress: (String) -> Void
    ) throws -> [(String, JSON)] {
        let spec = GameSpec(graph: graph)
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("ccelim-learning-vs-search-\(getpid())-\(UUID().uuidString)").path
        var cluster = EmbeddedCluster(
            config: ClusterConfig(), task: task, preset: config.name, seed: seed, updates: nil, minutes: minutes,
            envs: gamesPerUpdate, actors: actors, sync: false, runDir: directory, datasets: datasets, resume: nil,
            json: true, verbose: false)
        cluster.algorithm = .alphaZero
        // The search alone: the cluster method has no decode.
        cluster.alphaZero = alphaZero
        (cluster.alphaZero.finalDecodeSeconds, cluster.alphaZero.decodeSimulations) = (0, nil)
        cluster.initialize = initialize
        // Read here too, for the JSON's checksum (and so a bad file fails before any child starts).
        let initial = try initialize.map { try InitialWeights.read($0) }
        let hp = cluster.settings.alphaZeroHyperparameters
        let configured = cluster
        // The cluster runs on its own thread; this one times updates.jsonl's lines as they appear.
        let finished = DispatchSemaphore(value: 0)
        let box = ClusterOutcomeBox()
        let thread = Thread {
            box.result = Result { try configured.run() }
            finished.signal()
        }
        let start = clock()
        thread.start()
        let updates = "\(directory)/\(RunFolder.updatesName)"
        var curve: [JSON] = [], lastBest = Int.max, seen = 0
        func poll() {
            let lines = UpdateLines.complete(in: updates)
            guard lines.count > seen else { return }
            let t = clock() - start
            for line in lines[seen...] {
                guard let best = line["best"] as? Int else { continue }
                if best < lastBest {
                    curve.append(point(t, best))
                    lastBest = best
                }
                progress(
                    String(
                        format: "%@ %@ %7.1fs update %4d  best %6d", graph.name, method.rawValue, t,
                        line["update"] as? Int ?? 0, best))
            }
            seen = lines.count
        }
        while finished.wait(timeout: .now() + 0.1) == .timedOut { poll() }
        poll()
        let outcome = try box.result!.get()
        let seconds = clock() - start
        guard let trained = outcome.summary.tasks.first?.best else {
            throw BenchmarkError(
                "AlphaZero with \(actors) actors finished no update on \(graph.name) in \(minutes) minutes; give more --minutes (logs: \(directory)/logs)"
            )
        }
        let best = try confirmed(trained, on: spec, method: method.rawValue)
        // The summary's best can only come from an update; should it be below the last line seen,
        // the curve ends at it when the run ended.
        if best.cost < lastBest { curve.append(point(seconds, best.cost)) }
        try? FileManager.default.removeItem(atPath: directory)
        return [
            ("best_cost", .int(best.cost)), ("best_order", .ints(best.order)),
            ("seconds", .double(rounded(seconds, per: 10))),
            ("learner_seconds", .double(rounded(outcome.summary.seconds, per: 10))),
            ("updates", .int(outcome.summary.updates)), ("games", .int(outcome.summary.episodes)),
            ("actors", .int(actors)), ("simulations", .int(hp.simulations)),
            ("rollout_weight", .double(hp.rolloutWeight)), ("rollout_rules", .int(hp.rolloutRules)),
            ("rollout_endgame", .int(hp.rolloutEndgame)),
            ("games_per_update", .int(hp.gamesInLockstep)), ("steps_per_batch", .int(hp.stepsPerBatch)),
            ("minibatch_size", .int(hp.minibatchSize)),
            // Games the learner did not train on, by reason (summary.json's `dropped`): with actors
            // playing ahead of the learner, `stale` ones are played by weights too old.
            ("dropped", .object(outcome.summary.dropped.named.map { ($0.0, .int($0.1)) })),
            ("curve", .array(curve)),
        ]
            + (initial.map {
                [
                    ("initialized_from", .string($0.path)),
                    ("initialized_from_weights_checksum", .string($0.weightsChecksum)),
                ]
            } ?? [])
    }

    private func anneal(_ spec: GameSpec, progress: (String) -> Void) throws -> [(String, JSON)] {
        var budgets = [budget]
        if annealReferenceSeconds < budget { budgets.insert(annealReferenceSeconds, at: 0) }
        var points: [(seconds: Double, cost: Int)] = []
        var best: BestOrder?
        var runs: [JSON] = []
        for seconds in budgets {
            var portfolio = SearchPortfolio(clock: clock)
            portfolio.method = .anneal
            portfolio.seconds = seconds
            portfolio.seed = seed
            let t0 = clock()
            let outcome = try portfolio.run(on: spec)
            let took = clock() - t0
            if points.isEmpty, let start = outcome.annealStart { points.append((0, start.cost)) }
            points.append((took, outcome.best.cost))
            if outcome.best.cost < best?.cost ?? Int.max {
                best = BestOrder(cost: outcome.best.cost, order: outcome.best.order)
            }
            runs.append(
                .object([
                    ("budget_seconds", .double(seconds)), ("seconds", .double(rounded(took, per: 10))),
                    ("best_cost", .int(outcome.best.cost)),
                    (
                        "command",
                        .string("ccelim search \(spec.name) --method anneal --seconds \(seconds) --seed \(seed)")
                    ),
                ]))
            progress("\(spec.name) anneal \(seconds) s: \(outcome.best.cost)")
        }
        let b = try confirmed(best!, on: spec, method: "anneal")
        // The curve is in time order, each point the best of the runs that had finished by then
        // (annealing ends at its budget on the clock; an order of budgets given unsorted stays right).
        var curve: [JSON] = [], lowest = Int.max
        for p in points.sorted(by: { $0.seconds < $1.seconds }) {
            lowest = min(lowest, p.cost)
            curve.append(point(p.seconds, lowest))
        }
        return [
            ("best_cost", .int(b.cost)), ("best_order", .ints(b.order)),
            ("seconds", .double(rounded(points.map(\.seconds).max() ?? 0, per: 10))),
            ("runs", .array(runs)), ("curve", .array(curve)),
        ]
    }
}

/// The cluster thread's result, read after its semaphore is signalled.
private final class ClusterOutcomeBox {
    var result: Result<EmbeddedCluster.Outcome, Error>?
}

/// updates.jsonl's complete lines (a line is complete once its newline is written), parsed.
enum UpdateLines {
    static func complete(in path: String) -> [[String: Any]] {
        guard let data = FileManager.default.contents(atPath: path), let end = data.lastIndex(of: UInt8(ascii: "\n"))
        else { return [] }
        return data[..<end].split(separator: UInt8(ascii: "\n")).compactMap {
            try? JSONReading.parse(Data($0)) as? [String: Any]
        }
    }
}
