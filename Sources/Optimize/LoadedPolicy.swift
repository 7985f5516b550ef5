import Checkpoint
import Elimination
import Foundation
import PPO
import Search

/// A trained policy read from a checkpoint (`CheckpointWeights`), ready to decode orders for any
/// graph (its token features do not depend on the graph's size). Only the weights and the
/// network's shape are used; the optimiser state and the run's counters are ignored.
public struct LoadedPolicy: Sendable {
    /// Methods of orders the policy decoded start with this.
    public static let methodPrefix = "policy-"

    /// The checkpoint's network, weights, tasks and updates.
    public let weights: CheckpointWeights
    /// The checkpoint file, as given.
    public var path: String { weights.path }
    public var network: NetworkConfig { weights.network }
    public var parameters: [Float] { weights.parameters }
    /// The tasks it was trained on (for the report).
    public var tasks: [String] { weights.tasks }
    public var updates: Int { weights.updates }

    public init(_ weights: CheckpointWeights) { self.weights = weights }

    public init(path: String, network: NetworkConfig, parameters: [Float], tasks: [String], updates: Int) {
        self.init(
            CheckpointWeights(path: path, network: network, parameters: parameters, tasks: tasks, updates: updates))
    }

    /// Reads `path` (any ccelim checkpoint, e.g. runs/NAME/checkpoint.h5).
    public static func read(_ path: String) throws -> LoadedPolicy {
        do {
            return LoadedPolicy(try CheckpointWeights.read(path))
        } catch {
            throw OptimizeError("--policy: \(error)")
        }
    }

    /// Beam widths tried within a time budget, in this order (`PolicyDecoder.beam`, `beamExpand`
    /// children per state).
    public static let beamWidths = [2, 4, 8]
    public static let beamExpand = 4
    /// The share of a time budget the deviation search (`PolicyDecoder.deviationSearch`, greedy
    /// included) may use; beams and samples get what is left.
    public static let searchShare = 0.75
    /// The share of a time budget kept for the exact polish of the decoded orders
    /// (`ExactWindowPolish`: the endgame and sliding windows re-ordered exactly), after the
    /// decoders, which share the rest as before. gen7 chose 0.5 (no descent); with the descent,
    /// search8 chose 0.25 + 0.25 on the train split (35 programs ≤ 200 equations, against their 10-s
    /// annealing: +0.68 % on average, against +0.74 % for 0.5 + 0.25, +0.72 % for 0.25 + 0.5 and
    /// +2.20 % for gen7's 0.5 + 0), before any held-out program was run.
    public static let polishShare = 0.25
    /// The share of a time budget kept for the long-range exact descent (`RelocationDescent`:
    /// vertices and pairs moved anywhere in the order) from the cheapest order so far, interleaved
    /// with the polish while each improves; the decoders get what the polish and the descent leave.
    /// Chosen on the train split with `polishShare` (search8, see there).
    public static let descentShare = 0.25

    /// A decoding budget counted in network work instead of wall time, so the same decodings run
    /// at any load: the budget's seconds are nominal, `tokenRowsPerSecond` token rows through the
    /// networks each (`PolicyNetwork.tokenRowsForwarded`); the wall clock stops the decoding only
    /// once `ceiling` seconds have passed (then the result depends on the load again).
    public struct WorkBudget: Sendable, Equatable {
        public var tokenRowsPerSecond: Double
        public var ceiling: Double

        public init(tokenRowsPerSecond: Double = WorkBudget.nominalTokenRowsPerSecond, ceiling: Double) {
            self.tokenRowsPerSecond = tokenRowsPerSecond
            self.ceiling = ceiling
        }

        /// About what the small preset forwards per second with the token features written, on
        /// one core of the 2-core development machine (lennard_jones4's greedy decode, 162
        /// vertices, about 13,000 token rows in 0.066 s at load 3).
        public static let nominalTokenRowsPerSecond = 200_000.0
        /// States times the graph's vertices the exact polish (`ExactWindowPolish`) expands per
        /// nominal second (a state costs about its graph's size to copy and key): about what one
        /// core of the development machine does on a typed graph (`ccelim search --method exact` on
        /// particle_reweighting, a train program of 21 vertices: 262,143 states in 6.2 s of CPU
        /// time, release, so about 890,000 vertex-states a second).
        public static let nominalPolishVertexStatesPerSecond = 800_000.0
        /// Steps times the graph's vertices the descent (`RelocationDescent`, its `work`) replays per
        /// nominal second (a step's work grows with its graph).
        public static let nominalDescentVertexStepsPerSecond = 200_000_000.0
    }

    /// The greedy order, the best order of the deviation search, the best beam-search order, the
    /// best sampled one, the best polished one and the descended one, each re-scored by the game:
    /// "policy-greedy", "policy-search", "policy-beam", "policy-samples", "policy-polish",
    /// "policy-descent". `seconds` 0: greedy and exactly one batch of `batch`
    /// samples, whatever the time (no search, no beam). Otherwise a time budget, greedy included:
    /// first the deviation search (`PolicyDecoder.deviationSearch`: the policy's runner-up moves
    /// completed greedily, exact costs) while another completion, expected to cost at most what
    /// the greedy decode did, fits within `searchShare` of the budget; then beam searches of
    /// `beamWidths` (the policy's prior, exact costs and the value network's estimate of the rest)
    /// while each is expected to end within half the budget (a width-w beam is expected to cost 3w
    /// greedy decodes, then w/w' times the last beam), then sampled orders in batches of at most
    /// `batch` (one batched pass of `Actor.play` each, one seeded stream across batches), each
    /// batch as many as the time left is expected to fit (one order costing what the greedy decode
    /// did, then what the last batch's orders did), until not even one fits or `maxSamples` were
    /// drawn. All of that within (1 − `polishShare` − `descentShare`) of the budget; then the exact
    /// polish of the decoded orders, the cheapest first ("policy-polish", `ExactWindowPolish`: the
    /// endgame and sliding windows re-ordered exactly; not the policy, so under its own method)
    /// until `descentShare` of the budget is left; then the long-range descent from the cheapest
    /// order so far, interleaved with the polish ("policy-descent", `RelocationDescent`). That is
    /// the first pass; when it ends with budget left (the polish and the descent stop once they no
    /// longer improve), rounds follow until the budget is used, at most `maxRounds` (`rounds`: a
    /// fresh batch of sampled orders, its cheapest new distinct orders polished and descended;
    /// "policy-rounds", their cheapest; none when both shares are 0: then the samples have the
    /// whole budget). A first pass that uses the whole budget is followed by
    /// none, so its results are what they were without rounds. `clock`: monotonic seconds. `work`: the budget is counted in network work (`WorkBudget`;
    /// the polish in states expanded times the graph's vertices) with `clock` as the ceiling only;
    /// nil: wall time. `starts`: orders found elsewhere (an AlphaZero run's search decode and best,
    /// `FinalDecode`) that the polish and the descent may start from as if decoded; not returned.
    public func decode(
        _ spec: GameSpec, batch: Int, seconds total: Double = 0, maxSamples: Int = 4096, seed: UInt64,
        polishShare: Double = LoadedPolicy.polishShare, descentShare: Double = LoadedPolicy.descentShare,
        work: WorkBudget? = nil, starts: [SearchResult] = [], maxRounds: Int = .max,
        greedyCeiling: Double = .infinity, clock wall: () -> Double
    ) throws -> [SearchResult] {
        try decodeMeasured(
            spec, batch: batch, seconds: total, maxSamples: maxSamples, seed: seed, polishShare: polishShare,
            descentShare: descentShare, work: work, starts: starts, maxRounds: maxRounds, measures: false,
            greedyCeiling: greedyCeiling, clock: wall
        ).results
    }

    /// The tokens the decoding network holds per state: every vertex up to
    /// `TokenFeatures.candidateViewAbove`, the candidate view's 64 above. (It held every vertex on
    /// every program until session 24: 19.5 GB of activations and 33 s of allocation before the
    /// first move on a program of 3,000 vertices, for states of 64 tokens.)
    static func networkTokens(_ spec: GameSpec) -> Int { max(TokenFeatures.maxTokens(spec), 1) }

    /// `decode`, and (`measures`; NaN otherwise, without reading the clock again) the budget it
    /// used: wall seconds, or under a work budget the nominal seconds of the network's, the
    /// polish's and the descent's work (infinite past the ceiling).
    func decodeMeasured(
        _ spec: GameSpec, batch: Int, seconds total: Double, maxSamples: Int, seed: UInt64, polishShare: Double,
        descentShare: Double, work: WorkBudget?, starts: [SearchResult], maxRounds: Int, measures: Bool = true,
        greedyCeiling: Double = .infinity, clock wall: () -> Double
    ) throws -> (results: [SearchResult], used: Double) {
        let wallStart = wall()
        let seconds = total * (1 - polishShare - descentShare)
        let net = try PolicyNetwork(
            config: network, maxBatch: max(batch, 1, seconds > 0 ? Self.beamWidths.max()! * Self.beamExpand : 1),
            maxTokens: Self.networkTokens(spec), seed: 0)
        try net.loadParameters(parameters)
        func clock() -> Double {
            guard let work else { return wall() }
            return wall() - wallStart > work.ceiling
                ? .infinity : Double(net.tokenRowsForwarded) / work.tokenRowsPerSecond
        }
        let start = work == nil ? wallStart : clock()
        var results: [SearchResult] = []
        var previous = clock(), greedySeconds: Double?
        // Past `greedyCeiling` wall seconds the first greedy decode ends by the cheapest step now.
        let searched = try PolicyDecoder(network: net, spec: spec).deviationSearch(
            shouldStop: {
                let now = clock()
                if greedySeconds == nil { greedySeconds = now - previous }
                previous = now
                // Negated, so that a clock past a work budget's ceiling (infinite, NaN differences) stops.
                return seconds == 0 || !(now - start + greedySeconds! <= seconds * Self.searchShare)
            }, stopsGreedy: { greedyCeiling.isFinite && wall() - wallStart > greedyCeiling })
        results.append(
            try SearchResult.rescored(
                method: Self.methodPrefix + "greedy", order: searched.greedy.order, evaluations: 1, on: spec))
        if searched.completions > 1 {
            results.append(
                try SearchResult.rescored(
                    method: Self.methodPrefix + "search", order: searched.best.order,
                    evaluations: searched.completions, on: spec))
        }
        var perOrder = greedySeconds ?? clock() - previous
        if seconds > 0 {
            var beamBest: BestOrder?, beams = 0
            var perWidth = 3 * perOrder
            for width in Self.beamWidths {
                guard clock() - start + perWidth * Double(width) <= seconds / 2 else { break }
                let t0 = clock()
                let found = try PolicyDecoder(network: net, spec: spec).beam(width: width, expand: Self.beamExpand)
                perWidth = (clock() - t0) / Double(width)
                beams += 1
                if beamBest == nil || found.cost < beamBest!.cost { beamBest = found }
            }
            if let beamBest {
                results.append(
                    try SearchResult.rescored(
                        method: Self.methodPrefix + "beam", order: beamBest.order, evaluations: beams, on: spec))
            }
        }
        let actor = Actor(network: net, seed: seed, id: 0)
        var best: (cost: Int, order: [Int])?
        var drawn = 0
        while drawn < maxSamples {
            let count: Int
            if seconds == 0 {
                guard drawn == 0 else { break }
                count = batch
            } else {
                let left = seconds - (clock() - start)
                guard left > 0 else { break }
                count = min(batch, maxSamples - drawn, perOrder > 0 ? Int(left / perOrder) : batch)
            }
            guard count > 0 else { break }
            let t0 = clock()
            let played = try actor.play(spec, task: 0, count: count, policyVersion: 0)
            perOrder = (clock() - t0) / Double(count)
            drawn += count
            let i = played.costs.indices.min { played.costs[$0] < played.costs[$1] }!
            if best == nil || played.costs[i] < best!.cost { best = (played.costs[i], played.episodes[i].order) }
        }
        if let best {
            results.append(
                try SearchResult.rescored(
                    method: Self.methodPrefix + "samples", order: best.order, evaluations: drawn, on: spec))
        }
        // Nominal seconds of the polish's and the descent's work (a work budget's: the clock counts
        // the network's work only).
        var exactWork = 0.0
        if total > 0, polishShare > 0 {
            let (polished, nominal) = try polish(
                results + starts, spec: spec, seconds: total * (1 - descentShare) - (clock() - start), work: work,
                wall: wall)
            exactWork += nominal
            if let polished { results.append(polished) }
        }
        if total > 0, descentShare > 0 {
            let best = (results + starts).min { $0.cost < $1.cost }!
            let (descended, nominal) = try descend(
                best, spec: spec, seconds: total - (clock() - start), polishes: polishShare > 0, work: work, wall: wall)
            exactWork += nominal
            if let descended { results.append(descended) }
        }
        // The budget used so far: wall time, or the network's work plus the exact stages' (the
        // first pass's and the rounds' own, `roundsWork`).
        let firstWork = exactWork
        func used(roundsWork: Double) -> Double {
            guard work != nil else { return wall() - wallStart }
            return clock() - start + firstWork + roundsWork
        }
        var roundsWork = 0.0
        if total > 0, maxRounds > 0, polishShare > 0 || descentShare > 0 {
            let (rounds, nominal) = try self.rounds(
                net, spec: spec, seed: seed, seen: Set((results + starts).map(\.order)), seconds: total,
                perOrder: perOrder, polishes: polishShare > 0, descends: descentShare > 0, maxRounds: maxRounds,
                work: work, wall: wall, used: used)
            roundsWork = nominal
            if let rounds { results.append(rounds) }
        }
        return (results, measures ? used(roundsWork: roundsWork) : .nan)
    }

    /// Orders sampled per round after the first pass (`decode`'s rounds: one batched pass of
    /// `Actor.play`, on a stream of its own).
    public static let roundSamples = 32
    /// Of a round's samples, this many of the cheapest distinct orders not seen before are polished
    /// and descended.
    public static let roundStarts = 2

    /// `decode`'s rounds, while its budget (`seconds`; `used()` so far) lasts after the first pass:
    /// each round samples up to `roundSamples` orders on a fresh stream (the actor's id is the
    /// round's number, the first pass's is 0), as many as the time left is expected to fit
    /// (`perOrder`, the last measured cost of one sampled order), then takes the `roundStarts`
    /// cheapest distinct orders not seen before (not among `seen`: the first pass's orders and
    /// starts, and the rounds' earlier starts) and gives each the exact polish (`polish`, if
    /// `polishes`) and the long-range descent (`descend`, if `descends`) with the time left.
    /// "policy-rounds": the cheapest order of all rounds (evaluations: the rounds begun), nil when
    /// none began (less than one order's time left). Rounds go on whether or not they improve.
    /// `used(roundsWork)`: the budget used so far, given the nominal seconds of the rounds' own
    /// polish and descent work (a work budget counts them; a wall clock ignores them); returned
    /// with the rounds' order.
    func rounds(
        _ net: PolicyNetwork, spec: GameSpec, seed: UInt64, seen: Set<[Int]>, seconds: Double, perOrder: Double,
        polishes: Bool, descends: Bool, maxRounds: Int, work: WorkBudget?, wall: () -> Double,
        used usedWith: (_ roundsWork: Double) -> Double
    ) throws -> (SearchResult?, nominal: Double) {
        var seen = seen, perOrder = perOrder
        var exactWork = 0.0  // nominal seconds of the rounds' polish and descent (a work budget's)
        func used() -> Double { usedWith(exactWork) }
        var best: SearchResult?, round = 0
        while round < maxRounds {
            let left = seconds - used()
            // Not negated: a clock past a work budget's ceiling (infinite, or NaN when the ceiling
            // passed before the decode's first reading) stops.
            guard left > 0 else { break }
            let count = perOrder > 0 ? Int(min(Double(Self.roundSamples), left / perOrder)) : Self.roundSamples
            guard count > 0 else { break }
            round += 1
            let actor = Actor(network: net, seed: seed, id: UInt32(truncatingIfNeeded: round))
            let t0 = used()
            let played = try actor.play(spec, task: 0, count: count, policyVersion: 0)
            perOrder = max(used() - t0, 0) / Double(count)
            var fresh: [[Int]] = []
            for i in played.costs.indices.sorted(by: { (played.costs[$0], $0) < (played.costs[$1], $1) })
            where fresh.count < Self.roundStarts && seen.insert(played.episodes[i].order).inserted {
                fresh.append(played.episodes[i].order)
            }
            for order in fresh {
                var found = try SearchResult.rescored(
                    method: Self.methodPrefix + "rounds", order: order, evaluations: 1, on: spec)
                if polishes, used() < seconds {
                    let (polished, nominal) = try polish(
                        [found], spec: spec, seconds: seconds - used(), work: work, wall: wall)
                    exactWork += nominal
                    if let polished, polished.cost < found.cost { found = polished }
                }
                if descends, used() < seconds {
                    let (descended, nominal) = try descend(
                        found, spec: spec, seconds: seconds - used(), polishes: polishes, work: work, wall: wall)
                    exactWork += nominal
                    if let descended, descended.cost < found.cost { found = descended }
                }
                if best == nil || found.cost < best!.cost { best = found }
            }
        }
        guard let best, round > 0 else { return (nil, exactWork) }
        return (
            try SearchResult.rescored(
                method: Self.methodPrefix + "rounds", order: best.order, evaluations: round, on: spec), exactWork
        )
    }

    /// The long-range descent (`RelocationDescent`) from `start`, then, when it moved something
    /// and time is left, the polish of the descended order (`ExactWindowPolish`, if `polishes`),
    /// then the descent again, while either improves and time is left: "policy-descent", the
    /// final order (nil when no candidate was scored). Exact search, not the policy.
    func descend(
        _ start: SearchResult, spec: GameSpec, seconds: Double, polishes: Bool, work: WorkBudget?,
        wall: () -> Double
    ) throws -> (SearchResult?, nominal: Double) {
        let t0 = wall()
        let done = try RelocationDescent(spec: spec).descendAndPolish(
            start.order, cost: start.cost, seconds: seconds, polishes: polishes,
            stepSeconds: Double(spec.vertexCount) / WorkBudget.nominalDescentVertexStepsPerSecond,
            stateSeconds: Double(spec.vertexCount) / WorkBudget.nominalPolishVertexStatesPerSecond
        ) { nominal in
            guard let work else { return wall() - t0 }
            return wall() - t0 > work.ceiling ? .infinity : nominal
        }
        guard done.evaluations > 0 else { return (nil, done.nominalSeconds) }
        return (
            try SearchResult.rescored(
                method: Self.methodPrefix + "descent", order: done.order, evaluations: done.evaluations, on: spec),
            done.nominalSeconds
        )
    }

    /// The exact polish of the decoded orders (`ExactWindowPolish.polish`), the cheapest first, each
    /// with the time left, while any is left: "policy-polish", the cheapest polished order (nil when
    /// no window fitted). Exact search, not the policy: reported under its own method.
    func polish(
        _ decoded: [SearchResult], spec: GameSpec, seconds: Double, work: WorkBudget?, wall: () -> Double
    ) throws -> (SearchResult?, nominal: Double) {
        let polisher = ExactWindowPolish(spec: spec)
        let t0 = wall()
        var expandedBefore = 0
        func spent(_ expanded: Int) -> Double {
            guard let work else { return wall() - t0 }
            return wall() - t0 > work.ceiling
                ? .infinity
                : Double(expandedBefore + expanded) * Double(spec.vertexCount)
                    / WorkBudget.nominalPolishVertexStatesPerSecond
        }
        var seen: Set<[Int]> = []
        var best: ExactWindowPolish.Outcome?, windows = 0
        for start in decoded.sorted(by: { $0.cost < $1.cost }) where seen.insert(start.order).inserted {
            guard spent(0) < seconds else { break }
            let done = try polisher.polish(start.order, cost: start.cost, seconds: seconds) { spent($0) }
            expandedBefore += done.expanded
            windows += done.windows
            if best == nil || done.cost < best!.cost { best = done }
        }
        let nominal = Double(expandedBefore) * Double(spec.vertexCount) / WorkBudget.nominalPolishVertexStatesPerSecond
        guard let best, windows > 0 else { return (nil, nominal) }
        return (
            try SearchResult.rescored(
                method: Self.methodPrefix + "polish", order: best.order, evaluations: windows, on: spec), nominal
        )
    }
}
