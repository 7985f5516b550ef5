import Foundation
import TestFixtures
import XCTest

/// `--constants FILE` of `ccelim jacobian` and `ccelim codegen`: the values of the arrays a program
/// closes over, which its jaxpr names but does not print. The file's errors, and the whole path a
/// user takes: Python/ccelim_jax.py's `export`, then the Jacobian against jax.jacrev and the
/// generated C against the interpreter.
final class ConstantsCLITests: XCTestCase {
    let cli = CLIRunner()

    private func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ccelim-constants-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    /// y = W·x + s·x₀ with W: f64[2,2] and s: f64[] closed over.
    static let affine = """
        { lambda a:f64[2,2] b:f64[]; c:f64[2]. let
            d:f64[2] = dot_general[dimension_numbers=(([1], [0]), ([], [])) preferred_element_type=float64] a c
            e:f64[1] = slice[limit_indices=(1,) start_indices=(0,) strides=None] c
            f:f64[] = squeeze[dimensions=(0,)] e
            g:f64[] = mul b f
            h:f64[2] = add d g
          in (h,) }
        """

    func testTheConstantsFileGivesTheValuesAndItsErrorsNameWhatIsWrong() throws {
        let work = try temporaryDirectory()
        let program = work.appendingPathComponent("affine.jaxpr")
        try Self.affine.write(to: program, atomically: true, encoding: .utf8)
        func file(_ name: String, _ text: String) throws -> String {
            let url = work.appendingPathComponent(name)
            try text.write(to: url, atomically: true, encoding: .utf8)
            return url.path
        }
        let inputs = try file("x.json", "[[0.5, -2.0]]")
        let good = try file("good.json", "[[[1.0, 2.0], [3.0, 4.0]], 10.0]")
        let run = try cli.run([
            "jacobian", program.path, "--order", "rev", "--inputs", inputs, "--constants", good, "--check", "--json",
        ])
        XCTAssertEqual(run.status, 0, run.all)
        let o = try cli.jsonObject(run.stdout)
        // W·x = (0.5 − 4, 1.5 − 8); s·x₀ = 5.
        XCTAssertEqual(TestFixtures.flatten(o["outputs"]!), [1.5, -1.5])
        XCTAssertEqual(TestFixtures.flatten(o["jacobian"]!), [11, 2, 13, 4])
        XCTAssertEqual(o["constants_source"] as? String, good)
        let check = o["check"] as! [String: [String: Double]]
        XCTAssertLessThan(check["finite_differences"]!["max_rel_diff"]!, 1e-8)
        XCTAssertEqual(check["reverse_mode"]!["max_abs_diff"]!, 0)

        func refusal(_ constants: String?, _ expected: [String], line: UInt = #line) throws {
            let r = try cli.run(
                ["jacobian", program.path, "--inputs", inputs] + (constants.map { ["--constants", $0] } ?? []))
            XCTAssertEqual(r.status, 1, r.all, line: line)
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr, line: line)
            for text in expected { XCTAssertTrue(r.stderr.contains(text), r.stderr, line: line) }
        }
        try refusal(nil, ["closes over constants (a, b)", "--constants FILE"])
        try refusal(
            try file("one.json", "[[[1.0, 2.0], [3.0, 4.0]]]"),
            ["closes over 2 constants (a:f64[2,2] b:f64[])", "the file gives 1"])
        try refusal(
            try file("shape.json", "[[1.0, 2.0, 3.0, 4.0], 10.0]"),
            ["constant 1 ('a', f64[2,2])", "expected 2 entries (shape [2, 2]), found 4"])
        try refusal(try file("object.json", #"{"a": 1}"#), ["expected an array with one entry per constant"])
        try refusal(try file("broken.json", "[[1.0,"), ["not valid JSON"])
        // A program that closes over nothing refuses a file that gives something.
        let plain = try cli.run([
            "jacobian", "RoeFlux_1d", "--constants", try file("extra.json", "[1.0]"),
        ])
        XCTAssertEqual(plain.status, 1, plain.all)
        XCTAssertTrue(plain.stderr.contains("closes over no constants, the file gives 1"), plain.stderr)
        // codegen without the values writes nothing.
        let out = work.appendingPathComponent("gen.py")
        let refused = try cli.run(["codegen", program.path, "--order", "fwd", "--target", "jax", "-o", out.path])
        XCTAssertEqual(refused.status, 1, refused.all)
        XCTAssertTrue(refused.stderr.contains("--constants FILE"), refused.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path))
    }

    /// A user's program as written in Python: a weight matrix captured by a jitted inner function (a
    /// constant of a nested body) and `jnp.array` written inside (constants of the jaxpr itself).
    /// `export` writes the jaxpr, inputs and constants; `ccelim jacobian` must give jax.jacrev's
    /// values, and the C that `codegen` writes with the same constants must give the interpreter's.
    func testAnExportedProgramGivesJaxsJacobianAndItsGeneratedCTheSame() throws {
        let probe = try runProcess(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", "import jax"])
        guard probe.status == 0 else { throw XCTSkip("python3 cannot import jax (Ops/install-deps installs it)") }
        let work = try temporaryDirectory()
        let script = """
            import json, sys
            sys.path.insert(0, sys.argv[1])
            import jax, jax.numpy as jnp, numpy as np
            jax.config.update("jax_enable_x64", True)
            from ccelim_jax import export
            W = jnp.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]])
            def f(x):
                h = jax.jit(lambda u: jnp.tanh(W @ u))(x)
                return jnp.sum(h * jnp.array([2.0, -3.0])) + x[0] * x[2], h * x[1]
            x = jnp.array([0.3, -0.7, 1.1])
            written = export(f, x, path=sys.argv[2])
            y, J = f(x), jax.jacrev(f)(x)
            print(json.dumps({"written": written, "outputs": [np.asarray(v).tolist() for v in y],
                              "jacobian": [np.asarray(j).tolist() for j in J]}))
            """
        let program = work.appendingPathComponent("user.jaxpr").path
        let python = try runProcess(
            URL(fileURLWithPath: "/usr/bin/env"),
            ["python3", "-c", script, CLITests.root.appendingPathComponent("Python").path, program])
        XCTAssertEqual(python.status, 0, python.all)
        let reference = try cli.jsonObject(python.stdout)
        let written = reference["written"] as! [String: String]
        XCTAssertEqual(Set(written.keys), ["jaxpr", "inputs", "constants"])
        let constantsText = try String(contentsOfFile: written["constants"]!, encoding: .utf8)
        // The jaxpr's own array first, then the jitted body's W.
        XCTAssertEqual(
            TestFixtures.flatten(try JSONSerialization.jsonObject(with: Data(constantsText.utf8))),
            [2.0, -3.0, 0.5, -1.0, 2.0, 1.5, 0.25, -0.75])

        let arguments = ["--inputs", written["inputs"]!, "--constants", written["constants"]!]
        var interpreted: [String: Any] = [:]
        for order in ["fwd", "rev", "markowitz"] {
            let run = try cli.run(["jacobian", program, "--order", order, "--json"] + arguments)
            XCTAssertEqual(run.status, 0, run.all)
            interpreted = try cli.jsonObject(run.stdout)
            for key in ["outputs", "jacobian"] {
                XCTAssertLessThan(
                    maxRelativeDifference(
                        TestFixtures.flatten(interpreted[key]!), TestFixtures.flatten(reference[key]!)), 1e-13,
                    "\(order) \(key)")
            }
        }

        let dir = work.appendingPathComponent("c")
        let gen = try cli.run(
            [
                "codegen", program, "--order", "markowitz", "--target", "c", "-o", dir.path, "--driver", "--constants",
                written["constants"]!,
            ])
        XCTAssertEqual(gen.status, 0, gen.all)
        let sources = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".c") }
            .map { dir.appendingPathComponent($0).path }
        let binary = work.appendingPathComponent("user").path
        let build = try runProcess(
            URL(fileURLWithPath: "/usr/bin/env"), ["cc", "-O2"] + sources + ["-lm", "-o", binary])
        XCTAssertEqual(build.status, 0, build.all)
        let driven = try runProcess(URL(fileURLWithPath: binary), [written["inputs"]!])
        XCTAssertEqual(driven.status, 0, driven.all)
        let c = try cli.jsonObject(driven.stdout)
        for key in ["outputs", "jacobian"] {
            XCTAssertLessThan(
                maxRelativeDifference(TestFixtures.flatten(c[key]!), TestFixtures.flatten(interpreted[key]!)), 1e-14,
                key)
        }
    }
}
