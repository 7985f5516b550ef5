import XCTest

@testable import Codegen

/// Names and literals the emitters print: identifiers C and Python accept, literals that read back
/// exactly, refusals with the reason.
final class CodegenLayoutTests: XCTestCase {
    func testIdentifiersFromProgramNames() {
        XCTAssertEqual(CodegenLayout.identifier(from: "RoeFlux_1d"), "RoeFlux_1d")
        XCTAssertEqual(CodegenLayout.identifier(from: "my-task.v2"), "my_task_v2")
        XCTAssertEqual(CodegenLayout.identifier(from: "3body"), "p3body")
        XCTAssertEqual(CodegenLayout.identifier(from: "é"), "_")
        XCTAssertFalse(CodegenLayout.isIdentifier("_x"))
        XCTAssertFalse(CodegenLayout.isIdentifier("a b"))
        XCTAssertTrue(CodegenLayout.isIdentifier("f"))
    }

    func testAnInvalidNameIsRefusedWithTheReason() throws {
        let layout = try CodegenFixtures.layout("HumanHeartDipole", order: "rev", target: .c)
        XCTAssertThrowsError(try CodegenLayout(compiled: layout.compiled, name: "bad name", provenance: [])) { error in
            XCTAssertEqual(error as? CodegenError, .invalidName("bad name"))
            XCTAssertTrue("\(error)".contains("--name"))
        }
    }

    func testLiteralsReadBackExactly() {
        XCTAssertEqual(JaxEmitter.literal(1), "1.0")
        XCTAssertEqual(JaxEmitter.literal(-0.5), "(-0.5)")
        XCTAssertEqual(JaxEmitter.literal(1e-5), "1e-05")
        XCTAssertEqual(JaxEmitter.literal(.infinity), "float('inf')")
        XCTAssertEqual(CEmitter.literal(0.1, .double), "0.1")
        XCTAssertEqual(CEmitter.literal(0.1, .float), "0.1f")
        XCTAssertEqual(CEmitter.literal(-2, .float), "(-2.0f)")
        XCTAssertEqual(CEmitter.literal(1e300, .float), "((float)INFINITY)")
        XCTAssertEqual(CEmitter.literal(.nan, .double), "((double)NAN)")
        for x in [0.1, 1.0 / 3.0, 2.0 / Double.pi.squareRoot(), 6.02e23, Double.leastNonzeroMagnitude] {
            XCTAssertEqual(Double(CEmitter.literal(x, .double)), x)
        }
    }

    /// Python's float division by a literal zero raises ZeroDivisionError where XLA gives ±inf: the
    /// total-order comparisons' 1/x (jnp.searchsorted, jnp.interp) of a constant 0 made generated
    /// modules that crashed when run (audit25). A zero divisor is divided by jnp.divide.
    func testALiteralZeroDivisorIsDividedByJnp() {
        let quotient = ElementFormula.arithmetic(.divide, .literal(1), .operand(0))
        XCTAssertEqual(JaxEmitter.render(quotient, ["0.0"]), "jnp.divide(1.0, 0.0)")
        XCTAssertEqual(JaxEmitter.render(quotient, ["(-0.0)"]), "jnp.divide(1.0, (-0.0))")
        XCTAssertEqual(JaxEmitter.render(quotient, ["v3"]), "(1.0 / v3)")
        XCTAssertEqual(JaxEmitter.render(.arithmetic(.multiply, .literal(2), .operand(0)), ["0.0"]), "(2.0 * 0.0)")
    }

    /// Every tape instruction becomes exactly one statement, and the primal slice needs no partial.
    func testSingleAssignmentKeepsEveryInstruction() throws {
        let layout = try CodegenFixtures.layout("RoeFlux_1d", order: "best", target: .jax)
        let ssa = SingleAssignmentTape(layout.compiled.tape)
        XCTAssertEqual(ssa.statements.count, layout.compiled.instructionCount)
        let primal = ssa.primal, all = ssa.all
        XCTAssertEqual(all.filter { $0 }.count, ssa.statements.count, "the packed tape holds no dead instruction")
        for (i, s) in ssa.statements.enumerated() where primal[i] {
            XCTAssertFalse(
                [.unaryDerivative, .binaryPartial, .tieShare].contains(s.opcode), "statement \(i) \(s.opcode)")
        }
        XCTAssertLessThan(primal.filter { $0 }.count, ssa.statements.count)
    }

    /// For JAX every stop_gradient result is an instruction of the primal (printed as
    /// jax.lax.stop_gradient); for C the tape is the interpreter's. The accumulation is the same.
    func testStopGradientIsKeptForJaxOnly() throws {
        for (program, corpus) in [("f", false), ("Perceptron", false), ("softmax_cross_entropy", true)] {
            let jax = try CodegenFixtures.layout(program, order: "best", corpus: corpus, target: .jax).compiled
            let c = try CodegenFixtures.layout(program, order: "best", corpus: corpus, target: .c).compiled
            let marks = jax.tape.instructions.filter { $0.opcode == .holdFirstSample }.count
            XCTAssertGreaterThan(marks, 0, program)
            XCTAssertFalse(c.tape.instructions.contains { $0.opcode == .holdFirstSample }, program)
            XCTAssertEqual(jax.multiplications, c.multiplications, program)
            XCTAssertEqual(jax.products, c.products, program)
            XCTAssertEqual(jax.instructionCount, c.instructionCount + marks, program)
            let ssa = SingleAssignmentTape(jax.tape), primal = ssa.primal
            XCTAssertTrue(
                ssa.statements.indices.contains { primal[$0] && ssa.statements[$0].opcode == .holdFirstSample },
                "\(program): the generated f stops gradients")
            XCTAssertTrue(
                JaxEmitter.module(try CodegenLayout(compiled: jax, name: nil, provenance: [])).contains(
                    "jax.lax.stop_gradient("))
        }
    }

    /// Large functions are level-vectorised, small ones stay scalar: f's jacobian (3,382
    /// statements) and not its primal nor anything of RoeFlux_1d, so the JAX tests run both forms.
    func testOnlyLargeFunctionsAreVectorised() throws {
        let f = JaxEmitter.module(try CodegenFixtures.layout("f", order: "best", target: .jax))
        XCTAssertTrue(f.contains("\nVECTORISED = ('jacobian',)\n"))
        XCTAssertTrue(f.contains("    R = R.at["))
        let roe = JaxEmitter.module(try CodegenFixtures.layout("RoeFlux_1d", order: "best", target: .jax))
        XCTAssertTrue(roe.contains("\nVECTORISED = ()\n"))
        XCTAssertFalse(roe.contains("    R = "))
    }
}
