import XCTest
@testable import Bounds
import Elimination

/// PrecedenceSplit with several workers sharing the open leaves (`threads`): the bound never exceeds
/// the brute-force optimum whichever worker splits what, a guide's record is a real order, the tight
/// case closes where one thread closes it (the search with shared workers: PrecedenceSplitTests).
final class SharedSplitTests: XCTestCase {
    func testWorkersSharingTheLeavesNeverExceedTheOptimumAndTheirRecordsAreRealOrders() throws {
        var raised = 0, records = 0, closed = 0, closedAlone = 0, runs = 0
        for seed in 0..<80 as Range<UInt64> {
            let spec = BoundsFixtures.randomScalar(seed: 14000 + seed, maxEliminable: 12)
            let optimum = BoundsFixtures.optimumFromEverySet(spec)[VertexSet()]!
            // Single vertices as blocks leave the split room to raise the bound.
            let (graph, sets, groups, start, blocks) = try BoundsFixtures.splitStart(spec, maxSize: 1)
            var bounds = groups
            guard !blocks.isEmpty else { continue }
            // A poor start (program order) and its cost as the target, so that guides find records.
            let startCost = try Baselines.score(spec.eliminable, on: spec).cost
            func split(threads: Int, nodes: Int, upper: Int) -> (value: Int, split: PrecedenceSplit) {
                var split = PrecedenceSplit(nodeLimit: nodes)
                split.pathEnds = true
                split.candidates = 4
                split.threads = threads
                split.guide = LeafGuide(graph: graph)
                split.guideStart = spec.eliminable
                return (split.run(&bounds, sets, blocks: blocks, upper: upper), split)
            }
            for threads in [2, 4] {
                let (value, shared) = split(threads: threads, nodes: 60, upper: startCost)
                XCTAssertLessThanOrEqual(
                    value, optimum, "\(spec.name), \(threads) workers: \(value) > optimum \(optimum)")
                XCTAssertGreaterThanOrEqual(value, min(start, startCost), spec.name)
                // Each worker stops at the node limit, after at most one split of its own (2 · 4 children).
                XCTAssertLessThanOrEqual(shared.evaluated, 60 + threads * 8, spec.name)
                if value > start { raised += 1 }
                if let record = shared.record {
                    XCTAssertLessThan(record.cost, startCost, spec.name)
                    XCTAssertGreaterThanOrEqual(record.cost, optimum, spec.name)
                    XCTAssertEqual(try Baselines.score(record.order, on: spec).cost, record.cost, spec.name)
                    XCTAssertGreaterThanOrEqual(record.cost, value, spec.name)
                    records += 1
                }
                XCTAssertTrue(shared.openLeaves.allSatisfy { $0.bound >= value && $0.bound < startCost }, spec.name)
                // The tight case (the target is the optimum): never above it. There no guide is a
                // record, so how a leaf is split is a function of the leaf alone, and a run that
                // closes splits exactly the leaves below the target (a worker takes no other): where
                // one thread closes, the workers close too, with the same splits and evaluations.
                let (alone, one) = split(threads: 1, nodes: 400, upper: optimum)
                let (proven, tight) = split(threads: threads, nodes: 800, upper: optimum)
                XCTAssertLessThanOrEqual(
                    proven, optimum, "\(spec.name), \(threads) workers: \(proven) > optimum \(optimum)")
                XCTAssertNil(tight.record, spec.name)
                if alone == optimum && start < optimum {
                    closedAlone += 1
                    if proven == optimum { closed += 1 }
                    XCTAssertEqual(tight.splits, one.splits, spec.name)
                    XCTAssertEqual(tight.evaluated, one.evaluated, spec.name)
                }
                runs += 1
            }
        }
        XCTAssertGreaterThan(raised, 10)
        XCTAssertGreaterThan(records, 5)
        XCTAssertGreaterThan(closedAlone, 10)
        XCTAssertEqual(closed, closedAlone)
        print(
            "PrecedenceSplit shared by 2 and 4 workers: above the start bound \(raised), records \(records), the tight case closed \(closed) of the \(closedAlone) one thread closed, of \(runs) runs"
        )
    }
}
