import XCTest
@testable import Elimination

/// `GraphPreset`: exact sizes, valid graphs, determinism by seed, and the structure each preset
/// promises, from the smallest size to 100,000 equations.
final class StructuredGraphsTests: XCTestCase {
    let structured = GraphPreset.allCases.filter { $0 != .scalar }

    func checkValid(_ g: ComputationalGraph, _ label: String) throws {
        for e in g.edges {
            if case .vertex(let s) = e.source { XCTAssertLessThan(s, e.target, "\(label): edges go forward") }
        }
        XCTAssertFalse(g.program.equations.contains { $0.primitive == "copy" }, "\(label): no output is read later")
        XCTAssertFalse(g.outputs.isEmpty)
        XCTAssertEqual(try GraphFile.read(GraphFile.write(g)), g, "\(label) round-trips through a graph file")
    }

    func testEveryPresetWritesExactlyTheRequestedEquationsAsAValidGraph() throws {
        for preset in GraphPreset.allCases {
            for n in [preset.minimumEquations, 157, 400] where n >= preset.minimumEquations {
                let g = preset.generate(equations: n, seed: 3, outputs: min(3, n / 3 + 1))
                let label = "\(preset.rawValue) \(n)"
                if preset == .scalar {
                    XCTAssertGreaterThanOrEqual(g.vertexCount, n, label)
                } else {
                    XCTAssertEqual(g.vertexCount, n, label)
                    try checkValid(g, label)
                }
                // The game takes every size; baselines at the small ones keep the test fast.
                guard n < 400 else { continue }
                let spec = GameSpec(graph: g)
                let b = BaselineSummary(spec: spec)
                XCTAssertEqual(try Baselines.score(b.markowitzOrder, on: spec).cost, b.markowitz, label)
                if n > 2 { XCTAssertGreaterThan(b.forward, 0, label) }
            }
        }
    }

    func testTheSameSeedGivesTheSameGraphAndAnotherSeedAnother() {
        for preset in GraphPreset.allCases {
            let a = preset.generate(equations: 1234, seed: 1)
            XCTAssertEqual(a, preset.generate(equations: 1234, seed: 1), preset.rawValue)
            XCTAssertNotEqual(a, preset.generate(equations: 1234, seed: 2), preset.rawValue)
        }
    }

    func testEachPresetHasTheStructureItPromises() {
        let rk4 = GraphPreset.rk4.generate(equations: 1000, seed: 4)
        XCTAssertEqual([rk4.inputCount, rk4.outputs.count], [6, 3], "3 states, 2 parameters, dt → 3 states")
        let blocks = GraphPreset.blocks.generate(equations: 1000, seed: 4)
        XCTAssertEqual([blocks.inputCount, blocks.outputs.count], [6, 4])
        // Repeated units: the primitive sequence of one block recurs 1000 / 24 times.
        let primitives = blocks.program.equations.map(\.primitive)
        XCTAssertEqual(Array(primitives[0..<24]), Array(primitives[24..<48]))
        let grid = GraphPreset.stencil2d.generate(equations: 1000, seed: 4)
        let side = Int(Double(grid.outputs.count).squareRoot())
        XCTAssertEqual(side * side, grid.outputs.count, "a square of cells")
        XCTAssertEqual(grid.inputCount, side * side + 2)
        let row = GraphPreset.stencil1d.generate(equations: 1000, seed: 4)
        XCTAssertEqual(row.inputCount, row.outputs.count + 4, "cells, two fixed ends, two coefficients")
        let mixed = GraphPreset.mixed.generate(equations: 1000, seed: 4)
        let used = Set(mixed.program.equations.map(\.primitive))
        XCTAssertTrue(used.isSuperset(of: ["dot_general", "reduce_sum", "broadcast_in_dim", "transpose", "tanh"]))
        XCTAssertTrue(mixed.program.equations.contains { $0.type.rank == 2 })
        XCTAssertTrue(mixed.edges.contains { $0.label.type != 1 }, "tensor edges carry structure")
        let reduction = GraphPreset.reduction.generate(equations: 1000, seed: 4)
        XCTAssertEqual(reduction.inputCount, reduction.outputs.count + 1)
    }

    /// Large programs: 100,000 equations of the tensor preset and 20,000 of the others (the dense
    /// game state cannot hold these; only the program is built). The CLI test writes a 100,000-
    /// equation stencil to a file.
    func testLargePrograms() throws {
        for preset in structured {
            let n = preset == .mixed ? 100_000 : 20_000
            let g = preset.generate(equations: n, seed: 1)
            XCTAssertEqual(g.vertexCount, n, preset.rawValue)
            XCTAssertGreaterThan(g.edges.count, n)
        }
    }
}
