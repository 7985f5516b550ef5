import Randomness
import XCTest
@testable import Elimination
@testable import Search

/// The incremental evaluator against its naive twin: replaying every candidate from scratch.
final class IncrementalEvaluatorTests: XCTestCase {
    func testCandidateCostsMatchAFullReplay() throws {
        for task in ["RoeFlux_1d", "Encoder", "f", "Perceptron"] {
            let spec = try SearchFixtures.spec(task)
            var rng = SplitMix64(seed: 4)
            for interval in [1, 3, 8] {
                var evaluator = IncrementalEvaluator(
                    spec: spec, order: Baselines.markowitzOrder(spec), interval: interval,
                    reusesSuffix: SetDeterminedGraphs.holds(for: spec))
                var maxDifference = 0
                for step in 0..<300 {
                    let move = OrderMove.random(count: spec.eliminable.count, maxShortSpan: 8, rng: &rng)
                    var candidate = evaluator.order
                    move.apply(to: &candidate)
                    let truth = try Baselines.score(candidate, on: spec).cost
                    let unbounded = evaluator.cost(of: candidate, changed: move.range, bound: Int.max)
                    maxDifference = max(maxDifference, abs((unbounded ?? -1) - truth))
                    // A bound just below the truth must refuse; at the truth it must answer.
                    XCTAssertNil(evaluator.cost(of: candidate, changed: move.range, bound: truth - 1))
                    XCTAssertEqual(evaluator.cost(of: candidate, changed: move.range, bound: truth), truth)
                    if step % 3 == 0 {
                        evaluator.accept(candidate, changed: move.range)
                        XCTAssertEqual(evaluator.cost, truth)
                    }
                }
                print("\(task) interval \(interval): max |incremental − replay| = \(maxDifference)")
                XCTAssertEqual(maxDifference, 0, "\(task) interval \(interval)")
            }
        }
    }

    /// Replays stop where the candidate's state agrees with a checkpoint again (not on
    /// set-determined graphs, which stop after the window), in both layouts: against a full replay
    /// on graphs whose labels depend on the order (Encoder, f, random typed programs, the scalar
    /// preset with its copy edges), with accepted moves in between so the checkpoints get
    /// refreshed too.
    func testResynchronisingReplaysMatchAFullReplay() throws {
        var graphs = [("Encoder", try SearchFixtures.graph("Encoder")), ("f", try SearchFixtures.graph("f"))]
        for seed in UInt64(1)...3 {
            graphs.append(("typed \(seed)", RandomPrograms.graph(seed: seed, equations: 60, tensors: true)))
        }
        graphs.append(("scalar preset", GraphPreset.scalar.generate(equations: 200, seed: 3, inputs: 20, outputs: 10)))
        var resynchronised: Set<StateLayout> = []
        func checkResynchronisingReplays(_ name: String, _ spec: GameSpec) throws {
            XCTAssertFalse(SetDeterminedGraphs.holds(for: spec), name)
            var rng = SplitMix64(seed: 7)
            for (start, interval) in [(Baselines.markowitzOrder(spec), 1), (Baselines.reverseOrder(spec), 5)] {
                var evaluator = IncrementalEvaluator(spec: spec, order: start, interval: interval, reusesSuffix: false)
                XCTAssertTrue(evaluator.resynchronises)
                for step in 0..<60 {
                    let move = OrderMove.random(
                        count: spec.eliminable.count, maxShortSpan: 8, maxLongSpan: 30, rng: &rng)
                    var candidate = evaluator.order
                    move.apply(to: &candidate)
                    let truth = try Baselines.score(candidate, on: spec).cost
                    XCTAssertEqual(
                        evaluator.cost(of: candidate, changed: move.range, bound: Int.max), truth, "\(name) \(move)")
                    XCTAssertNil(evaluator.cost(of: candidate, changed: move.range, bound: truth - 1), name)
                    XCTAssertEqual(evaluator.cost(of: candidate, changed: move.range, bound: truth), truth, name)
                    if step % 2 == 0 {
                        evaluator.accept(candidate, changed: move.range)
                        XCTAssertEqual(evaluator.cost, truth, "\(name) after accepting \(move)")
                        XCTAssertEqual(
                            evaluator.stepCosts, try Baselines.score(candidate, on: spec).steps, "\(name) \(move)")
                    }
                }
                if evaluator.acceptsStoppedEarly > 0 { resynchronised.insert(spec.layout) }
            }
        }
        for (name, graph) in graphs {
            for layout in StateLayout.allCases {
                try checkResynchronisingReplays("\(name) \(layout)", GameSpec(graph: graph, layout: layout))
            }
        }
        XCTAssertEqual(
            resynchronised, Set(StateLayout.allCases), "a layout whose replays never stopped early is not tested")
    }

    /// The dense layout refreshes checkpoints in place (only the entries either order wrote) and
    /// keeps fingerprints beside them: after every accepted move each checkpoint must be exactly
    /// the state a fresh replay of the current order reaches there, with that state's fingerprint
    /// (resynchronising graphs) — on typed and set-determined graphs, short and long moves.
    func testDenseCheckpointsStayExactAfterAcceptedMoves() throws {
        var graphs = [
            ("Encoder", try SearchFixtures.graph("Encoder")), ("RoeFlux_1d", try SearchFixtures.graph("RoeFlux_1d")),
        ]
        for seed in UInt64(1)...2 {
            graphs.append(("typed \(seed)", RandomPrograms.graph(seed: seed, equations: 60, tensors: true)))
        }
        for (name, graph) in graphs {
            let spec = GameSpec(graph: graph, layout: .dense)
            let reuses = SetDeterminedGraphs.holds(for: spec)
            var rng = SplitMix64(seed: 11)
            for interval in [1, 4, 7] {
                var evaluator = IncrementalEvaluator(
                    spec: spec, order: Baselines.markowitzOrder(spec), interval: interval, reusesSuffix: reuses)
                var checked = 0
                for _ in 0..<40 {
                    let move = OrderMove.random(
                        count: spec.eliminable.count, maxShortSpan: 8, maxLongSpan: 40, rng: &rng)
                    var candidate = evaluator.order
                    move.apply(to: &candidate)
                    _ = evaluator.cost(of: candidate, changed: move.range, bound: Int.max)
                    evaluator.accept(candidate, changed: move.range)
                    var state = EliminationState(spec: spec)
                    for (i, v) in candidate.enumerated() {
                        if i % interval == 0 {
                            let k = i / interval
                            XCTAssertTrue(
                                evaluator.checkpoints[k].hasSameGraph(as: state),
                                "\(name) interval \(interval) checkpoint \(k) after \(move)")
                            if !reuses {
                                XCTAssertEqual(
                                    evaluator.prints[k], GraphFingerprint(of: state), "\(name) checkpoint \(k)")
                            }
                            checked += 1
                        }
                        state.eliminateUnchecked(v)
                    }
                }
                XCTAssertGreaterThan(checked, 40, name)
            }
        }
    }

    /// A dense state of a program near the dense layout's limit is megabytes: the checkpoints
    /// together stay within `checkpointBytes` (the interval grows past the caller's 4, which held
    /// 886 MB per evaluator on a 958-vertex program), and costs still equal a full replay's.
    func testDenseCheckpointsOfALargeProgramStayWithinTheirBytes() throws {
        let graph = RandomPrograms.graph(seed: 3, equations: 900, tensors: false)
        let spec = GameSpec(graph: graph, layout: .dense)
        let perState = GameLimits.stateBytes(inputs: spec.inputCount, vertices: spec.vertexCount)
        XCTAssertGreaterThan(perState, 3 << 20, "the program must be large for the check to mean anything")
        var evaluator = IncrementalEvaluator(
            spec: spec, order: Baselines.markowitzOrder(spec), interval: 4,
            reusesSuffix: SetDeterminedGraphs.holds(for: spec))
        XCTAssertGreaterThan(evaluator.interval, 4)
        XCTAssertLessThanOrEqual(evaluator.checkpoints.count * perState, IncrementalEvaluator.checkpointBytes)
        XCTAssertEqual(evaluator.cost, try Baselines.score(evaluator.order, on: spec).cost)
        var rng = SplitMix64(seed: 5)
        for step in 0..<12 {
            let move = OrderMove.random(count: spec.eliminable.count, maxShortSpan: 8, maxLongSpan: 200, rng: &rng)
            var candidate = evaluator.order
            move.apply(to: &candidate)
            let truth = try Baselines.score(candidate, on: spec).cost
            XCTAssertEqual(evaluator.cost(of: candidate, changed: move.range, bound: Int.max), truth, "move \(step)")
            evaluator.accept(candidate, changed: move.range)
            XCTAssertEqual(evaluator.cost, truth, "accepted move \(step)")
        }
    }

    func testMovesTouchOnlyTheirRange() {
        var rng = SplitMix64(seed: 2)
        let original = Array(0..<30)
        for _ in 0..<500 {
            let move = OrderMove.random(count: original.count, maxShortSpan: 5, rng: &rng)
            var moved = original
            move.apply(to: &moved)
            XCTAssertEqual(moved.sorted(), original)
            for i in original.indices where !move.range.contains(i) { XCTAssertEqual(moved[i], original[i], "\(move)") }
            XCTAssertNotEqual(moved, original, "\(move) changed nothing")
        }
    }
}
