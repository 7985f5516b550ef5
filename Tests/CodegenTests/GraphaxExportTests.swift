import Elimination
import XCTest

@testable import Codegen

final class GraphaxExportTests: XCTestCase {
    func testReadsTheFirstStatedJaxVersion() {
        XCTAssertEqual(
            GraphaxExport.jaxVersion(inReadme: "under **JAX 0.4.25** (the paper's era). JAX 0.4.38."), "0.4.25")
        XCTAssertEqual(GraphaxExport.jaxVersion(inReadme: "written in JAX (ours), printed by JAX 0.4.38."), "0.4.38")
        XCTAssertNil(GraphaxExport.jaxVersion(inReadme: "JAX programs, no version"))
    }

    /// An inlined call and an equation the importer rewrote (a cumulative product, a cond) each add the
    /// note that says what it changes for graphax's numbering; a plain jaxpr adds neither.
    func testNotesNameInliningAndRewrites() throws {
        func notes(_ text: String) throws -> [String] {
            let graph = try ComputationalGraph.fromJaxpr(text, name: "n")
            return try GraphaxExport(
                graph: graph, order: graph.eliminable, jaxVersion: "0.4.38", jaxVersionSource: "test"
            )
            .notes
        }
        let plain = try notes("{ lambda ; a:f32[3]. let b:f32[3] = sin a; c:f32[3] = mul b a in (c,) }")
        XCTAssertEqual(plain.count, 1, "\(plain)")
        let inlined = try notes(
            "{ lambda ; a:f32[3]. let b:f32[3] = pjit[name=f jaxpr={ lambda ; c:f32[3]. let d:f32[3] = sin c in (d,) }] a; e:f32[3] = mul b a in (e,) }"
        )
        XCTAssertTrue(inlined.contains { $0.contains("inlined nested calls") }, "\(inlined)")
        XCTAssertFalse(inlined.contains { $0.contains("rewrote") }, "\(inlined)")
        let rewritten = try notes(
            "{ lambda ; a:f32[3]. let b:f32[3] = cumprod[axis=0 reverse=False] a; c:f32[3] = mul b a in (c,) }")
        XCTAssertTrue(rewritten.contains { $0.contains("rewrote") }, "\(rewritten)")
        XCTAssertFalse(rewritten.contains { $0.contains("inlined nested calls") }, "\(rewritten)")
        // A cond becomes its branches and a select_n, even when no branch has an equation.
        let selected = try notes(
            "{ lambda ; a:f32[3] b:i32[] g:f32[3]. let c:f32[3] = cond[branches=({ lambda ; d:f32[3] e:f32[3]. let  in (d,) } { lambda ; h:f32[3] i:f32[3]. let  in (i,) })] b a g; f:f32[3] = mul c a in (f,) }"
        )
        XCTAssertTrue(
            selected.contains {
                $0.contains("rewrote scan, while, gather, scatter, cumulative, cond, multi-operand sort")
            },
            "\(selected)")
    }
}
