import XCTest
@testable import Elimination

/// The importer reproduces every vertex and edge label the reference builds (graphs/*.edges.json
/// and micro_cases.json), and Datasets/*.graph are exactly those imports.
final class ImporterParityTests: XCTestCase {
    func testEveryTaskGraphMatchesReferenceEdges() throws {
        for name in Fixtures.taskNames {
            let graph = try ComputationalGraph.fromJaxpr(try Fixtures.jaxpr(name), name: name)
            let ref = try Fixtures.json("graphs/\(name).edges.json")
            try assertMatches(graph, ref, name)
        }
    }

    func testDatasetsAreTheImportedJaxprs() throws {
        for name in Fixtures.taskNames {
            let imported = try ComputationalGraph.fromJaxpr(try Fixtures.jaxpr(name), name: name)
            XCTAssertEqual(try Fixtures.dataset(name), imported, name)
        }
    }

    func testMicroCaseLabels() throws {
        var compared = 0
        for c in try Fixtures.microCases() {
            let name = c["name"] as! String
            let graph = try ComputationalGraph.fromJaxpr(c["jaxpr"] as! String, name: name)
            XCTAssertEqual(graph.vertexCount, c.int("num_vertices"), name)
            XCTAssertEqual(graph.outputs.sorted(), c.ints("output_vertices").sorted(), name)
            if let ref = c["graph"] as? [String: Any] {
                try assertMatches(graph, ref, name)
                compared += 1
            }
        }
        XCTAssertEqual(compared, 26)
    }

    private func assertMatches(_ graph: ComputationalGraph, _ ref: [String: Any], _ name: String) throws {
        let vertices = ref["vertices"] as! [[String: Any]]
        XCTAssertEqual(graph.vertexCount, vertices.count, name)
        XCTAssertEqual(graph.inputCount, (ref["inputs"] as! [Any]).count, name)
        for v in vertices {
            let id = v.int("id")
            let eq = graph.program.equations[id - 1]
            XCTAssertEqual(eq.primitive, v["primitive"] as? String, "\(name) v\(id)")
            XCTAssertEqual(eq.type.shape, v.ints("shape"), "\(name) v\(id)")
            XCTAssertEqual(graph.isOutput(id), v["is_output"] as? Bool, "\(name) v\(id)")
        }
        var expected: [String: [Int]] = [:]
        for e in ref["edges"] as! [[String: Any]] {
            expected["\(e["src"]!)→\(e["dst"]!)"] = e.ints("label")
        }
        var actual: [String: [Int]] = [:]
        for e in graph.edges { actual["\(e.source)→v\(e.target)"] = e.label.integers }
        XCTAssertEqual(actual.count, expected.count, "\(name): edge count")
        for (key, label) in expected {
            XCTAssertEqual(actual[key], label, "\(name): edge \(key)")
        }
    }
}
