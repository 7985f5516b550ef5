import Foundation
import XCTest
@testable import Elimination

/// Datasets/corpus: every program imports into a valid graph whose sizes and baselines are the
/// manifest's, and the train/held-out split is a partition of the programs spread over domains.
final class CorpusTests: XCTestCase {
    static let corpus = Fixtures.datasets.appendingPathComponent("corpus")

    struct Entry {
        var name, domain, split: String
        var equations, inputs, vertices, eliminable, outputs, forward, reverse, markowitz: Int
    }

    func manifest() throws -> [Entry] {
        let data = try Data(contentsOf: Self.corpus.appendingPathComponent("manifest.json"))
        let root = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let programs = try XCTUnwrap(root["programs"] as? [[String: Any]])
        return try programs.map { p in
            func int(_ key: String) throws -> Int { try XCTUnwrap(p[key] as? Int, "\(key) of \(p["name"] ?? "?")") }
            return Entry(
                name: try XCTUnwrap(p["name"] as? String), domain: try XCTUnwrap(p["domain"] as? String),
                split: try XCTUnwrap(p["split"] as? String), equations: try int("equations"), inputs: try int("inputs"),
                vertices: try int("vertices"), eliminable: try int("eliminable"), outputs: try int("outputs"),
                forward: try int("forward"), reverse: try int("reverse"), markowitz: try int("markowitz"))
        }
    }

    func files(_ folder: String, _ suffix: String) throws -> Set<String> {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.corpus.appendingPathComponent(folder).path)
        return Set(names.filter { $0.hasSuffix(suffix) }.map { String($0.dropLast(suffix.count)) })
    }

    func testEveryProgramImportsIntoAValidGraphWithTheManifestsSizesAndBaselines() throws {
        let entries = try manifest()
        XCTAssertGreaterThanOrEqual(entries.count, 40)
        var kinds = Set<String>()
        for entry in entries {
            let url = Self.corpus.appendingPathComponent("jaxpr/\(entry.name).jaxpr")
            let graph = try ComputationalGraph.fromJaxpr(try Fixtures.text(url), name: entry.name)
            XCTAssertTrue((20...500).contains(entry.equations), "\(entry.name): \(entry.equations) equations")
            // Vertices are the equations plus one copy per output that a later equation reads.
            let copies = graph.program.equations.filter { $0.primitive == "copy" }.count
            XCTAssertEqual(graph.vertexCount, entry.equations + copies, entry.name)
            XCTAssertEqual(
                [graph.inputCount, graph.vertexCount, graph.outputs.count],
                [entry.inputs, entry.vertices, entry.outputs], entry.name)
            for edge in graph.edges {
                if case .vertex(let source) = edge.source {
                    XCTAssertLessThan(source, edge.target, "\(entry.name): edges go forward")
                }
                XCTAssertTrue((1...graph.vertexCount).contains(edge.target))
            }
            XCTAssertEqual(
                try GraphFile.read(GraphFile.write(graph)), graph, "\(entry.name) round-trips through a graph file")
            let spec = GameSpec(graph: graph)
            XCTAssertEqual(spec.eliminable.count, entry.eliminable, entry.name)
            let b = BaselineSummary(spec: spec)
            XCTAssertEqual(
                [b.forward, b.reverse, b.markowitz], [entry.forward, entry.reverse, entry.markowitz], entry.name)
            XCTAssertEqual(try Baselines.score(b.markowitzOrder, on: spec).cost, b.markowitz, entry.name)
            XCTAssertGreaterThan(b.best, 0, entry.name)
            if graph.program.equations.contains(where: { $0.type.rank > 0 }) {
                kinds.insert("tensor")
            } else {
                kinds.insert("scalar")
            }
        }
        XCTAssertEqual(kinds, ["scalar", "tensor"], "the corpus holds scalar and tensor programs")
        // Varied structure: in several programs neither mode is the cheapest baseline.
        XCTAssertGreaterThanOrEqual(entries.filter { $0.markowitz < min($0.forward, $0.reverse) }.count, 5)
    }

    func testTheSplitIsAPartitionOfEveryProgramWithHeldOutProgramsInEveryDomain() throws {
        let entries = try manifest()
        let names = entries.map(\.name)
        XCTAssertEqual(Set(names).count, names.count, "names are unique")
        XCTAssertEqual(Set(names), try files("programs", ".py"), "the manifest covers every program source")
        XCTAssertEqual(Set(names), try files("jaxpr", ".jaxpr"), "and every jaxpr")
        let train = Set(entries.filter { $0.split == "train" }.map(\.name))
        let heldout = Set(entries.filter { $0.split == "heldout" }.map(\.name))
        XCTAssertTrue(train.isDisjoint(with: heldout))
        XCTAssertEqual(train.union(heldout), Set(names), "every program is train or heldout, nothing else")
        let share = Double(heldout.count) / Double(names.count)
        // About a quarter held out at first, plus nine fresh held-out programs (gen7): about a third.
        XCTAssertTrue(
            (0.2...0.4).contains(share), "a quarter to a third held out, found \(heldout.count) of \(names.count)")
        for domain in Set(entries.map(\.domain)) {
            let splits = Set(entries.filter { $0.domain == domain }.map(\.split))
            XCTAssertEqual(splits, ["train", "heldout"], "\(domain) has programs on both sides")
        }
    }

    /// JAX ≥ 0.4.36 prints a body shared by several calls once, before the jaxpr, and refers to it
    /// by name; that must import exactly like the same program with the bodies written in place.
    func testSharedJaxprDefinitionsImportLikeInlineBodies() throws {
        let body = "{ lambda ; a:f32[3]. let b:f32[3] = sin a; c:f32[3] = mul b a in (c,) }"
        let shared = """
            let _twice = \(body) in
            let _outer = { lambda ; d:f32[3]. let e:f32[3] = pjit[name=_twice jaxpr=_twice] d in (e,) } in
            { lambda ; x:f32[3]. let
                y:f32[3] = pjit[name=_twice jaxpr=_twice] x
                z:f32[3] = pjit[name=_outer jaxpr=_outer] y
              in (z,) }
            """
        let inline = """
            { lambda ; x:f32[3]. let
                y:f32[3] = pjit[name=_twice jaxpr=\(body)] x
                z:f32[3] = pjit[name=_outer jaxpr={ lambda ; d:f32[3]. let e:f32[3] = pjit[name=_twice jaxpr=\(body)] d in (e,) }] y
              in (z,) }
            """
        let a = try ComputationalGraph.fromJaxpr(shared, name: "p")
        let b = try ComputationalGraph.fromJaxpr(inline, name: "p")
        XCTAssertEqual(a.vertexCount, 4)
        XCTAssertEqual(a.edges, b.edges)
        XCTAssertEqual(a.program.equations.map(\.primitive), ["sin", "mul", "sin", "mul"])
        // A name that no `let` defined is not a body: the call has nothing to inline.
        let unknown = "{ lambda ; x:f32[3]. let\n  y:f32[3] = pjit[name=_f jaxpr=_nowhere] x\n in (y,) }"
        XCTAssertThrowsError(try ComputationalGraph.fromJaxpr(unknown, name: "p")) { error in
            XCTAssertEqual((error as? ImportError)?.line, 2)
        }
    }
}
