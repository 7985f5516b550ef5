import XCTest

@testable import Elimination

/// Closed-over constants are numbered in the order a `--constants` file lists their values
/// (`ConstantNumbering`; Python/ccelim_jax.py walks a ClosedJaxpr the same way): the jaxpr's own,
/// then nested bodies' depth first, an equation's parameters by name.
final class ConstantNumberingTests: XCTestCase {
    /// JAX 0.4.38's text of a function that calls a jitted closure over W (its body keeps W as a
    /// constant) after a `jnp.array` written inside (a constant of the jaxpr itself).
    func testTheJaxprsConstantsComeFirstThenTheBodiesInTheOrderTheyArePrinted() throws {
        let g = try ComputationalGraph.fromJaxpr(
            """
            { lambda a:f64[3] b:f64[2]; c:f64[2]. let
                d:f64[3] = pjit[
                  name=g
                  jaxpr={ lambda e:f64[3,2]; f:f64[2]. let
                      g:f64[3] = dot_general[
                        dimension_numbers=(([1], [0]), ([], []))
                        preferred_element_type=float64
                      ] e f
                      h:f64[3] = tanh g
                    in (h,) }
                ] c
                i:f64[3] = mul d a
                j:f64[] = reduce_sum[axes=(0,)] i
                k:f64[2] = mul c b
                l:f64[] = reduce_sum[axes=(0,)] k
                m:f64[] = add j l
              in (m,) }
            """, name: "closure")
        XCTAssertEqual(g.program.constants.map(\.name), ["a", "b", "e"])
        XCTAssertEqual(g.program.constants.map(\.type.shape), [[3], [2], [3, 2]])
        // The body's W is read by its dot_general (the pjit is inlined), a and b by the top level.
        let reads = g.program.equations.flatMap(\.operands).compactMap { operand -> Int? in
            if case .constant(let k) = operand { return k }
            return nil
        }
        XCTAssertEqual(Set(reads), [1, 2, 3])
    }

    /// An equation's parameters are taken by name, not in the order they are printed: Python's walk
    /// sorts them (`sorted(eqn.params)`), and a printer may not.
    func testParametersAreTakenInTheOrderOfTheirNames() throws {
        var syntax = try JaxprParser.parse(
            """
            { lambda z:f64[]; a:f64[]. let
                b:f64[] = two_bodies[
                  zeta={ lambda p:f64[]; x:f64[]. let y:f64[] = mul x p in (y,) }
                  alpha={ lambda q:f64[2]; x:f64[]. let y:f64[] = sin x in (y,) }
                  middle=({ lambda r:f64[3]; x:f64[]. let y:f64[] = cos x in (y,) }
                          { lambda s:f64[4]; x:f64[]. let y:f64[] = exp x in (y,) })
                ] a
              in (b,) }
            """)
        let binders = ConstantNumbering.number(&syntax)
        XCTAssertEqual(binders.map(\.name), ["z", "q", "r", "s", "p"])
        XCTAssertEqual(binders.map(\.constant), [0, 1, 2, 3, 4])
        XCTAssertEqual(syntax.constants[0].constant, 0)
        XCTAssertEqual(syntax.equations[0].param("zeta")?.jaxpr?.constants[0].constant, 4)
        XCTAssertEqual(syntax.equations[0].param("middle")?.jaxprs.map { $0.constants[0].constant }, [2, 3])
    }

    /// A body printed once and named twice is numbered at each use, as the Python walk meets it
    /// twice; a name two bodies share gets the constant's number so each stays distinct.
    func testASharedBodyIsNumberedAtEachUseAndRepeatedNamesStayDistinct() throws {
        let g = try ComputationalGraph.fromJaxpr(
            """
            let _scaled = { lambda k:f64[]; x:f64[]. let y:f64[] = mul x k in (y,) } in
            { lambda k:f64[]; a:f64[]. let
                b:f64[] = pjit[name=_scaled jaxpr=_scaled] a
                c:f64[] = pjit[name=_scaled jaxpr=_scaled] b
                d:f64[] = mul c k
              in (d,) }
            """, name: "shared")
        XCTAssertEqual(g.program.constants.map(\.name), ["k", "k@2", "k@3"])
        // The first call reads constant 2, the second constant 3, the top level constant 1.
        let reads = g.program.equations.map { eq in
            eq.operands.compactMap { operand -> Int? in
                if case .constant(let k) = operand { return k }
                return nil
            }
        }
        XCTAssertEqual(reads, [[2], [3], [1]])
    }

    /// Every constant the text names is numbered, also in a body ccelim does not inline (the
    /// branch a `cond` whose index is known at import never takes): the file lists it, and it is
    /// simply not read.
    func testConstantsOfABodyThatIsNotInlinedAreNumberedToo() throws {
        let g = try ComputationalGraph.fromJaxpr(
            """
            { lambda ; a:f64[3]. let
                b:f64[3] = cond[
                  branches=(
                    { lambda p:f64[3]; x:f64[3]. let y:f64[3] = mul x p in (y,) }
                    { lambda q:f64[3]; x:f64[3]. let y:f64[3] = sub x q in (y,) }
                  )
                ] 1 a
              in (b,) }
            """, name: "branch")
        XCTAssertEqual(g.program.constants.map(\.name), ["p", "q"])
        let reads = g.program.equations.flatMap(\.operands).compactMap { operand -> Int? in
            if case .constant(let k) = operand { return k }
            return nil
        }
        XCTAssertEqual(reads, [2])
    }
}
