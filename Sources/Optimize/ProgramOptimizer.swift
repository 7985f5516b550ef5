import Console
import Dispatch
import Elimination
import PPO
import Search

/// `ccelim optimize`'s work on one graph, for `seconds` in all: the policy's fast decodings (greedy,
/// then sampled orders in batches for `decodingSeconds`) and a classical portfolio on `threads`
/// threads (the greedy rules, lookahead, and annealing seeded with the policy's best order and
/// with the best classical one, each thread ending with the long-range descent of its best order;
/// the classical threads start while the policy decodes), and the best order of all verified on
/// the game. With a budget (`seconds` > 0, or no policy) forward, reverse and minimal Markowitz
/// are candidates too, so the answer is never worse than them; `seconds` 0 with a policy is the
/// policy alone (what `ccelim optimize --seconds 0` measures), which can be worse. The clock is injected; each annealing run's temperature follows
/// the time it has spent, and with `annealingIterations` (a fixed count, the descent then fixed
/// work too) a run is reproducible from the seed.
public struct ProgramOptimizer {
    /// Search budget in seconds from the start, the policy's decoding included (the classical
    /// threads run until `seconds` after it); 0: the policy alone (or, with no policy, the
    /// deterministic heuristics alone).
    public var seconds: Double = 10
    /// Most orders sampled from the policy per batch (one batched pass of `Actor.play`), besides
    /// the greedy one; 0: greedy only.
    public var samples = 4
    /// The policy's decoding budget in seconds, greedy included: sampled batches while they are
    /// expected to fit (`LoadedPolicy.decode`). 0: exactly one batch of `samples`. Never more than
    /// `seconds` when that is positive (`decodingBudget`).
    public var decodingSeconds = 0.8
    /// Count `decodingSeconds` in network work instead of wall time (`LoadedPolicy.WorkBudget`:
    /// the same decodings at any load, the wall clock a ceiling only); nil: wall time.
    public var decodingWork: LoadedPolicy.WorkBudget?
    /// The share of `decodingSeconds` kept for the exact polish of the decoded orders
    /// (`LoadedPolicy.polishShare`); 0: the decoders alone, with the whole budget.
    public var polishShare = LoadedPolicy.polishShare
    /// The share of `decodingSeconds` kept for the long-range descent from the cheapest decoded
    /// order (`LoadedPolicy.descentShare`); 0: none (gen7's decoder, with `polishShare` 0.5).
    public var descentShare = LoadedPolicy.descentShare
    /// The share of each annealing thread's time kept for the long-range exact descent
    /// (`RelocationDescent`, interleaved with the window polish) of its best order at the end;
    /// 0: annealing alone (gen7). Chosen on the train split (search8).
    public var finalDescentShare = ProgramOptimizer.defaultFinalDescentShare
    public static let defaultFinalDescentShare = RelocationDescent.finalShare
    /// The size k of the vertex sets the final descent re-interleaves exactly when it and the window
    /// polish stop improving (`InterleavingPolish`, inside `RelocationDescent.descendAndPolish`);
    /// 0: none. Off until it beats main on the train split (polish13, Docs/RESULTS.md).
    public var interleaveSize = 0
    /// The final descent's work (replayed steps plus polish states) when `annealingIterations` fixes
    /// the annealing's.
    static let fixedDescentWork = 20_000
    /// Cooling runs of each annealing thread before its final descent, each from the thread's best
    /// so far (later cycles, while time is left, are one at a time): thread i takes
    /// `annealingCycles[i % count]`. Several entries make the threads differ in schedule as well
    /// as in start. Chosen on the train split (search9): the thread from the policy's best order
    /// reheats 4 times around it (as before), the one from the best classical order cools once,
    /// slowly (from annealing's own start, at a sixth of 60-s annealing's moves, one long cooling
    /// was cheaper than four on 9 of 12 runs of six typed train programs, dearer on 2).
    public var annealingCycles = ProgramOptimizer.defaultAnnealingCycles
    public static let defaultAnnealingCycles = [4, 1]
    /// Another cycle and descent follow the first ones while at least this share of a thread's time
    /// is left (0.02: 0.2 s of 10 s; a cycle shorter than that is a quench of a few thousand moves;
    /// set, not tuned: search11 compared only this rule with main's probed counts on the train split).
    static let laterCycleShare = 0.02
    /// The lookahead greedy rules (O(n³): seconds at a few hundred eliminable vertices in a release
    /// build, far more in a debug one) stop unfinished once this share of the budget is spent, and
    /// are skipped above `LookaheadGreedy.maxEliminable`, so they cannot take the budget from the
    /// annealing (set, not tuned: before, `optimize --seconds 2` ran for minutes on programs of
    /// 500–1,000 vertices). A run with fixed `annealingIterations` lets them finish (reproducible).
    static let lookaheadShare = 0.25
    /// The policy's first greedy decode (one forward pass per step, n steps) hands the rest of its
    /// order to the cheapest step now once this share of the budget (or `decodingSeconds`, if
    /// longer) is spent, so `optimize` keeps to its budget however large the program (set, not
    /// tuned; a guard: with the network sized for the candidate view, `LoadedPolicy.networkTokens`,
    /// the decode takes 1.4 s at 3,000 vertices in a release build). `--seconds 0`, the policy
    /// alone, and fixed `annealingIterations` let it finish.
    static let policyGreedyShare = 0.5
    /// Annealing runs in parallel (one per core by default).
    public var threads = 1
    /// With a policy and ≥ 2 threads, the threads that anneal from the best classical order (odd
    /// thread numbers) find that order and start annealing while the policy decodes, instead of
    /// waiting for it on idle cores; false: the policy first, then every thread (search9 and earlier).
    /// Each thread still ends at the same deadline (`seconds` after the start), so the classical
    /// threads get the decoding time on top. Chosen on the train split (search10).
    public var overlapsDecoding = true
    public var seed: UInt64 = 1
    /// Candidate orders per annealing cycle instead of what fits in `seconds` (a reproducible run,
    /// like `ccelim search --iterations`; tests); nil: from the budget.
    public var annealingIterations: Int?
    /// Monotonic seconds.
    public var clock: @Sendable () -> Double

    /// The policy's decoding budget: `decodingSeconds`, but never past `seconds` when that is set
    /// (the decoding is part of the run's budget: `--seconds 0.2` took the 0.8 s of the default
    /// `--policy-seconds` before session 43); with `seconds` 0, the policy alone, all of it.
    var decodingBudget: Double { seconds > 0 ? min(decodingSeconds, seconds) : decodingSeconds }
    /// Whether the user asked the run to stop (the CLI: SIGINT or SIGTERM received). From then on
    /// every budget counts as spent (InterruptJump): the decoding, the lookahead and each annealing
    /// thread stop at their next look at the clock, and the outcome holds the best order found by
    /// then (`OptimizeOutcome.interrupted`). Polled, never waited on.
    public var interrupted: @Sendable () -> Bool = { false }

    public init(clock: @escaping @Sendable () -> Double) {
        self.clock = clock
    }

    /// Optimises `graph`; `policy` nil runs the classical portfolio only. `progress` receives a
    /// short status now and then (from the calling thread or one annealing thread at a time).
    public func run(
        _ graph: ComputationalGraph, policy: LoadedPolicy?, progress: @escaping @Sendable (String) -> Void = { _ in }
    ) throws -> OptimizeOutcome {
        // Every budget runs on a clock that an interrupt moves past every deadline; the seconds
        // reported are measured on `clock` itself.
        var budgeted = self
        let raw = clock, interrupted = self.interrupted
        budgeted.clock = { raw() + (interrupted() ? InterruptJump.seconds : 0) }
        var outcome = try budgeted.optimize(graph, policy: policy, elapsed: raw, progress: progress)
        outcome.interrupted = interrupted()
        return outcome
    }

    /// `run` with `clock` the budgets' clock; `elapsed` measures the seconds reported.
    private func optimize(
        _ graph: ComputationalGraph, policy: LoadedPolicy?, elapsed: () -> Double,
        progress: @escaping @Sendable (String) -> Void
    ) throws -> OptimizeOutcome {
        guard seconds >= 0, seconds.isFinite else {
            throw OptimizeError("the budget must be ≥ 0 seconds, not \(seconds)")
        }
        guard samples >= 0, threads >= 1, decodingSeconds >= 0, decodingSeconds.isFinite else {
            throw OptimizeError("samples must be ≥ 0, threads ≥ 1 and the decoding budget ≥ 0 seconds")
        }
        guard polishShare >= 0, polishShare < 1 else {
            throw OptimizeError("the polish share must be in [0, 1), not \(polishShare); 0 turns the polish off")
        }
        guard !annealingCycles.isEmpty, annealingCycles.allSatisfy({ $0 >= 1 }) else {
            throw OptimizeError("every annealing thread needs at least 1 cycle, not \(annealingCycles)")
        }
        guard finalDescentShare >= 0, finalDescentShare < 1 else {
            throw OptimizeError("the final descent share must be in [0, 1), not \(finalDescentShare)")
        }
        guard interleaveSize == 0 || (2...InterleavingPolish.maxSize).contains(interleaveSize) else {
            throw OptimizeError(
                "the interleaved set's size must be 0 (none) or in 2...\(InterleavingPolish.maxSize), not \(interleaveSize)"
            )
        }
        guard descentShare >= 0, polishShare + descentShare < 1 else {
            throw OptimizeError(
                "the descent share must be ≥ 0 and leave the decoders some time (polish + descent < 1), not \(descentShare); 0 turns the descent off"
            )
        }
        let start = clock(), started = elapsed()
        let spec = GameSpec(graph: graph)
        let baselines = BaselineSummary(spec: spec)
        let deadline = start + seconds
        let slots = Self.threadSlots(threads: threads, policy: policy != nil)
        // The modes, the greedy rules and (with a budget) lookahead: the classical candidates.
        @Sendable func classicalCandidates() throws -> [SearchResult] {
            guard seconds > 0 || policy == nil else { return [] }
            var out = try baselines.orders.map {
                try SearchResult.rescored(method: $0.name, order: $0.order, evaluations: 1, on: spec)
            }
            out += try GreedyElimination.allRules(spec)
            if seconds > 0 {
                let clock = self.clock, end = start + seconds * Self.lookaheadShare, fixed = annealingIterations != nil
                out += try LookaheadGreedy.bothTieBreaks(spec, stop: { !fixed && clock() > end })
            }
            return out
        }
        @Sendable func bestClassical(_ classical: [SearchResult]) -> SearchResult {
            classical.min { $0.cost < $1.cost }!
        }
        var decoded: [SearchResult] = []
        var policyBest: SearchResult?
        var policySeconds: Double?
        var classical: [SearchResult] = []
        var annealed = [SearchResult?](repeating: nil, count: threads)
        func decode(_ policy: LoadedPolicy) throws {
            progress("policy: decoding \(spec.eliminable.count) steps")
            let t0 = elapsed()
            let budget = decodingBudget
            // The policy's greedy decode (minutes at a few thousand vertices) ends by the cheapest
            // step now past its share of the budget; with fixed work it runs to the end.
            let ceiling =
                seconds > 0 && annealingIterations == nil
                ? max(budget, seconds * Self.policyGreedyShare) : .infinity
            decoded = try policy.decode(
                spec, batch: samples, seconds: budget, seed: seed, polishShare: polishShare,
                descentShare: descentShare,
                work: decodingWork, greedyCeiling: ceiling, clock: clock)
            policySeconds = elapsed() - t0
            policyBest = decoded.min { $0.cost < $1.cost }
        }
        if let policy, seconds > 0, spec.eliminable.count >= 2, overlapsDecoding, !slots.classical.isEmpty {
            // The classical threads do not need the policy: they find their start and anneal on the
            // other cores while this one decodes, instead of idling until the decoding ends.
            let ready = DispatchSemaphore(value: 0), done = DispatchGroup()
            let found = SharedSlot<Result<[SearchResult], Error>>(.success([]))
            let background = SharedSlot<Result<[SearchResult?], Error>>(.success([]))
            let optimizer = self
            DispatchQueue.global().async(group: done) {
                found.value = Result { try classicalCandidates() }
                ready.signal()
                guard case .success(let classical) = found.value else { return }
                let from = bestClassical(classical)
                background.value = Result {
                    try optimizer.anneal(spec, threads: slots.classical, deadline: deadline, progress: progress) { _ in
                        from
                    }
                }
            }
            let decoding = Result { try decode(policy) }
            ready.wait()
            let policyThreads = Result { () throws -> [SearchResult?] in
                try decoding.get()
                classical = try found.value.get()
                let starts = annealingStarts(policyBest: policyBest, classical)
                return try anneal(spec, threads: slots.policy, deadline: deadline, progress: progress) {
                    starts[$0 % starts.count]
                }
            }
            done.wait()  // the background thread ends before any error leaves
            for (thread, r) in zip(slots.policy, try policyThreads.get()) { annealed[thread] = r }
            for (thread, r) in zip(slots.classical, try background.value.get()) { annealed[thread] = r }
        } else {
            if let policy { try decode(policy) }
            classical = try classicalCandidates()
            if seconds > 0 {
                let starts = annealingStarts(policyBest: policyBest, classical)
                let all = Array(0..<threads)
                for (thread, r) in zip(
                    all,
                    try anneal(spec, threads: all, deadline: deadline, progress: progress) { starts[$0 % starts.count] }
                ) {
                    annealed[thread] = r
                }
            }
        }
        let candidates = decoded + classical + annealed.compactMap { $0 }
        let best = candidates.min { $0.cost < $1.cost }!
        // Never report an order the game does not confirm.
        let confirmed = try Baselines.score(best.order, on: spec).cost
        guard confirmed == best.cost else {
            throw OptimizeError("internal error: \(best.method)'s order re-scores to \(confirmed), not \(best.cost)")
        }
        return OptimizeOutcome(
            program: graph.name, eliminable: spec.eliminable.count, best: best, baselines: baselines,
            seconds: elapsed() - started, policy: policy?.path, policyBest: policyBest, policySeconds: policySeconds,
            candidates: candidates, cheaperBaseline: baselines.cheaper(than: best.cost))
    }

    /// Which threads anneal from the policy's best order and which from the best classical one:
    /// thread i takes `annealingStarts(...)[i % 2]`, so with a policy the even threads are the
    /// policy's (the classical one's too when the two orders are the same) and the odd ones the
    /// classical order's; without a policy every thread is classical.
    static func threadSlots(threads: Int, policy: Bool) -> (policy: [Int], classical: [Int]) {
        guard policy else { return ([], Array(0..<threads)) }
        return (stride(from: 0, to: threads, by: 2).map { $0 }, stride(from: 1, to: threads, by: 2).map { $0 })
    }

    /// Where annealing starts: the policy's best order and the best classical one (distinct
    /// orders; threads take them in turn).
    func annealingStarts(policyBest: SearchResult?, _ candidates: [SearchResult]) -> [SearchResult] {
        let classical = candidates.filter { !$0.method.hasPrefix(LoadedPolicy.methodPrefix) }.min { $0.cost < $1.cost }!
        guard let policyBest, policyBest.order != classical.order else { return [classical] }
        return [policyBest, classical]
    }

    /// One annealing run on each of `threads` (thread i from `start(i)`, on its own seed stream) until
    /// `deadline`: the thread's cycles (`annealingCycles[i % count]`) share (1 − `finalDescentShare`)
    /// of its time evenly, each a cooling run whose temperature follows the time it has spent
    /// (`SimulatedAnnealing.run(seconds:clock:)`: no probe of the rate) and restarts from the
    /// thread's best so far (a status line between cycles), then the long-range descent and polish
    /// of the thread's best (`RelocationDescent.descendAndPolish`) until the deadline or it stops
    /// improving; while `laterCycleShare` of the time is left, one more cycle over (1 −
    /// `finalDescentShare`) of what is left, and descent. With `annealingIterations` each cycle is
    /// that many moves and the descent fixed work, once: reproducible. The results come in the
    /// order of `threads`.
    func anneal(
        _ spec: GameSpec, threads: [Int], deadline: Double, progress: @escaping @Sendable (String) -> Void,
        start: (Int) -> SearchResult
    ) throws -> [SearchResult?] {
        guard !threads.isEmpty, spec.eliminable.count >= 2 else { return threads.map { _ in nil } }
        let schedules = annealingCycles
        let clock = self.clock, fixedCount = annealingIterations
        let share = finalDescentShare, interleaving = interleaveSize
        var results = [Result<SearchResult?, SearchError>?](repeating: nil, count: threads.count)
        results.withUnsafeMutableBufferPointer { slots in
            let slots = UncheckedBuffer(slots)
            DispatchQueue.concurrentPerform(iterations: threads.count) { slot in
                let thread = threads[slot], from = start(thread), cycles = schedules[thread % schedules.count]
                let seed = SeedStreams.seed(self.seed, stream: 100 + UInt64(thread))
                let begin = clock(), seconds = deadline - begin
                slots.buffer[slot] = Result { () throws(SearchError) -> SearchResult? in
                    // A thread that starts after the deadline does nothing (with a fixed count, the
                    // clock decides nothing: reproducible whatever the threads' timing).
                    guard seconds > 0 || fixedCount != nil else { return nil }
                    // A cooling run of `count` moves (a fixed count: reproducible) or, without one,
                    // until `end` on the clock (the temperature set by the time spent), `status`
                    // told at each of its readings of the clock.
                    func run(
                        _ order: [Int], _ stream: UInt64, _ count: Int, until end: Double, status: () -> Void
                    )
                        throws(SearchError) -> SearchResult
                    {
                        var config = SimulatedAnnealing.Config(
                            iterations: count, seed: SeedStreams.seed(seed, stream: stream))
                        config.cycles = 1
                        let annealer = try SimulatedAnnealing(spec: spec, start: order, config: config)
                        if fixedCount != nil { return try annealer.run() }
                        return try annealer.run(seconds: max(0, end - clock()), clock: clock) {
                            status()
                            return false
                        }
                    }
                    // Thread 0's status: within a cooling run or a descent at most once a second
                    // (its best so far is the one the run started from), and after each cooling run.
                    // `now`: a reading the caller already made (the descent's), so none is added.
                    var throttle = Throttle(interval: 1, from: begin)
                    func status(_ best: Int, force: Bool, phase: String = "annealing", now: Double? = nil) {
                        guard thread == 0 else { return }
                        let now = now ?? clock()
                        guard throttle.admits(now, force: force) else { return }
                        progress(phase + String(format: " %.0f/%.0f s, best %d", now - begin, seconds, best))
                    }
                    var best = SearchResult(method: "", order: from.order, cost: from.cost, evaluations: 0)
                    var evaluations = 0, descended = false
                    // The cycles, splitting (1 − share) of the time left evenly, then the descent of the
                    // best order until the deadline or it stops improving; while at least
                    // `laterCycleShare` of the thread's time is left, one more cycle over (1 − share)
                    // of what is left and one more descent, so the budget is used, not left idle.
                    var cycle = 0
                    repeat {
                        let first = clock(), parts = cycle == 0 ? cycles : 1
                        let annealed = first + (deadline - first) * (1 - share)
                        for part in 0..<parts {
                            let end = first + (annealed - first) * Double(part + 1) / Double(parts)
                            let before = best.cost
                            let r = try run(best.order, 1 + UInt64(cycle), fixedCount ?? 0, until: end) {
                                status(before, force: false)
                            }
                            cycle += 1
                            evaluations += r.evaluations
                            if r.cost < best.cost { best = r }
                            status(best.cost, force: true)
                        }
                        if share > 0 {
                            // With a fixed count (tests) the descent has fixed work too
                            // (`fixedDescentWork` steps and states): reproducible.
                            let t0 = clock()
                            let down = try RelocationDescent(spec: spec).finalDescent(
                                best.order, cost: best.cost, seconds: deadline - t0, from: t0,
                                fixedWork: fixedCount == nil ? nil : Self.fixedDescentWork,
                                interleaving: interleaving, clock: clock
                            ) { status(best.cost, force: false, phase: "descending", now: $0) }
                            if down.cost < best.cost {
                                best = SearchResult(method: "", order: down.order, cost: down.cost, evaluations: 0)
                                descended = true
                            }
                            evaluations += down.evaluations
                        }
                    } while fixedCount == nil && deadline - clock() >= Self.laterCycleShare * seconds
                    let method = "anneal from \(from.method)" + (descended ? " + descent" : "")
                    return SearchResult(
                        method: method, order: best.order, cost: best.cost, evaluations: evaluations)
                }
            }
        }
        return try results.map { try $0!.get() }
    }
}

/// A value one background thread writes and the caller reads after waiting for it.
final class SharedSlot<T>: @unchecked Sendable {
    var value: T
    init(_ value: T) { self.value = value }
}

/// A buffer the threads of one `concurrentPerform` write disjoint slots of.
struct UncheckedBuffer<T>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<T>
    init(_ buffer: UnsafeMutableBufferPointer<T>) { self.buffer = buffer }
}
