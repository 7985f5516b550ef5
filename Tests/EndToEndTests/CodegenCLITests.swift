import Foundation
import TestFixtures
import XCTest

/// `ccelim codegen` and `ccelim export` as a user runs them: the C contract's build line, the
/// driver against `ccelim jacobian --json`, refusals that leave no file, and the graphax export.
final class CodegenCLITests: XCTestCase {
    let cli = CLIRunner()

    private func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ccelim-codegen-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    private func contents(_ directory: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
    }

    /// The generated C built exactly as the contract says (`cc -O2 DIR/*.c -lm`), its driver on an
    /// inputs file against `ccelim jacobian --inputs` on the same file.
    func testCDriverPrintsWhatJacobianPrints() throws {
        let work = try temporaryDirectory()
        let dir = work.appendingPathComponent("gen")
        let gen = try cli.run([
            "codegen", "RobotArm_6DOF", "--order", "best", "--target", "c", "-o", dir.path, "--driver",
        ])
        XCTAssertEqual(gen.status, 0, gen.all)
        XCTAssertEqual(try contents(dir), ["RobotArm_6DOF.c", "RobotArm_6DOF.h", "RobotArm_6DOF_main.c"])
        let program = work.appendingPathComponent("robot").path
        let sources = try contents(dir).filter { $0.hasSuffix(".c") }.map { dir.appendingPathComponent($0).path }
        let build = try runProcess(
            URL(fileURLWithPath: "/usr/bin/env"), ["cc", "-O2"] + sources + ["-lm", "-o", program])
        XCTAssertEqual(build.status, 0, build.all)
        let inputs = work.appendingPathComponent("inputs.json")
        try #"{"samples": [[0.1, 0.2, 0.3, 0.4, 0.5, 0.6], [-1.0, 0.5, 2.0, "NaN", 0.25, 3.0]]}"#.write(
            to: inputs, atomically: true, encoding: .utf8)
        let driven = try runProcess(URL(fileURLWithPath: program), [inputs.path])
        XCTAssertEqual(driven.status, 0, driven.all)
        let reference = try cli.run(["jacobian", "RobotArm_6DOF", "--order", "best", "--inputs", inputs.path, "--json"])
        XCTAssertEqual(reference.status, 0, reference.all)
        let a = try cli.jsonObject(driven.stdout), b = try cli.jsonObject(reference.stdout)
        for key in ["outputs", "jacobian"] {
            XCTAssertLessThan(difference(a[key]!, b[key]!), 1e-12, key)
        }
        let samplesA = a["samples"] as! [[String: Any]], samplesB = b["samples"] as! [[String: Any]]
        XCTAssertEqual(samplesA.count, 2)
        for (x, y) in zip(samplesA, samplesB) {
            XCTAssertLessThan(difference(x["jacobian"]!, y["jacobian"]!), 1e-12)
            XCTAssertLessThan(difference(x["outputs"]!, y["outputs"]!), 1e-12)
        }
        // A file of the wrong size is refused with the reason.
        try "[1, 2, 3]".write(to: inputs, atomically: true, encoding: .utf8)
        let wrong = try runProcess(URL(fileURLWithPath: program), [inputs.path])
        XCTAssertEqual(wrong.status, 1)
        XCTAssertTrue(wrong.stderr.contains("takes 6 input values per sample, the file gives 3"), wrong.stderr)
    }

    func testJaxModuleImportsAndStatesItsOrder() throws {
        let work = try temporaryDirectory()
        let file = work.appendingPathComponent("roe.py").path
        let gen = try cli.run(["codegen", "RoeFlux_1d", "--order", "rev", "--target", "jax", "-o", file])
        XCTAssertEqual(gen.status, 0, gen.all)
        let text = try String(contentsOfFile: file, encoding: .utf8)
        let imports = text.split(separator: "\n").filter { $0.hasPrefix("import ") || $0.hasPrefix("from ") }
        XCTAssertEqual(imports, ["import jax", "import jax.numpy as jnp"])
        let jacobian = try cli.jsonObject(cli.run(["jacobian", "RoeFlux_1d", "--order", "rev", "--json"]).stdout)
        XCTAssertTrue(text.contains("MULTIPLICATIONS = \(jacobian["multiplications"] as! Int)\n"))
        let order = (jacobian["order"] as! [Int]).map(String.init).joined(separator: ", ")
        XCTAssertTrue(text.contains("ORDER = (\(order))\n"))
    }

    func testRefusalsLeaveNoFile() throws {
        let work = try temporaryDirectory()
        // An order that is not a permutation of the eliminable vertices.
        let bad = try cli.run([
            "codegen", "RoeFlux_1d", "--order", "1,2,3", "--target", "jax", "-o",
            work.appendingPathComponent("x.py").path,
        ])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("invalid elimination order"), bad.stderr)
        XCTAssertEqual(bad.stderr.split(separator: "\n").count, 1, bad.stderr)
        // A primitive the interpreter cannot evaluate: a transposing reshape in a graph file (the
        // importer writes it as a transpose and a reshape; a hand-edited file may still hold it).
        let graph = work.appendingPathComponent("transposing.graph")
        try """
        ccelim-graph 1
        name transposing
        inputs 1
        in1 a f32[2,3]
        constants 0
        vertices 2
        v1 b f32[3,2] reshape[dimensions=(1, 0) new_sizes=(3, 2)] in1
        v2 c f32[3,2] sin v1
        outputs v2
        edges 2
        in1 v1 11 3 2 2 3
        v1 v2 6 3 2 3 2
        end

        """.write(to: graph, atomically: true, encoding: .utf8)
        let out = work.appendingPathComponent("c")
        let unsupported = try cli.run(["codegen", graph.path, "--order", "fwd", "--target", "c", "-o", out.path])
        XCTAssertEqual(unsupported.status, 1)
        XCTAssertTrue(unsupported.stderr.contains("transposing reshape"), unsupported.stderr)
        XCTAssertEqual(try contents(work), ["transposing.graph"], "no file and no directory left behind")
        // An invalid order for C: no directory is made.
        let badC = try cli.run(["codegen", "RoeFlux_1d", "--order", "1,2", "--target", "c", "-o", out.path])
        XCTAssertEqual(badC.status, 1)
        XCTAssertTrue(badC.stderr.contains("invalid elimination order"), badC.stderr)
        // A program the reader accepts but the interpreter cannot compile (a sort of a run longer
        // than it sorts).
        let dynamic = work.appendingPathComponent("dynamic.jaxpr")
        try """
        { lambda ; a:f32[513]. let
            b:f32[513] = sin a
            c:f32[513] = sort[dimension=0 is_stable=True num_keys=1] b
            e:f32[513] = sin c
          in (e,) }
        """.write(to: dynamic, atomically: true, encoding: .utf8)
        let runtimeIndex = try cli.run([
            "codegen", dynamic.path, "--order", "fwd", "--target", "jax", "-o",
            work.appendingPathComponent("d.py").path,
        ])
        XCTAssertEqual(runtimeIndex.status, 1)
        XCTAssertTrue(runtimeIndex.stderr.contains("vertex 2 (sort)"), runtimeIndex.stderr)
        XCTAssertTrue(runtimeIndex.stderr.contains("runs of 513 elements"), runtimeIndex.stderr)
        try FileManager.default.removeItem(at: dynamic)
        XCTAssertEqual(try contents(work), ["transposing.graph"], "no file and no directory left behind")
        // An existing file is not overwritten by a refused run.
        let existing = work.appendingPathComponent("keep.py")
        try "keep\n".write(to: existing, atomically: true, encoding: .utf8)
        _ = try cli.run(["codegen", "RoeFlux_1d", "--order", "0", "--target", "jax", "-o", existing.path])
        XCTAssertEqual(try String(contentsOf: existing, encoding: .utf8), "keep\n")
        XCTAssertEqual(try contents(work), ["keep.py", "transposing.graph"])
    }

    func testGraphaxExportNumbersJaxprEquations() throws {
        let r = try cli.run(["export", "RoeFlux_1d", "--order", "best", "--format", "graphax", "--json"])
        XCTAssertEqual(r.status, 0, r.all)
        let export = try cli.jsonObject(r.stdout)
        XCTAssertEqual(export["jax_version"] as? String, "0.4.25")
        XCTAssertTrue((export["jax_version_source"] as! String).hasSuffix("Datasets/README.md"))
        let jacobian = try cli.jsonObject(cli.run(["jacobian", "RoeFlux_1d", "--order", "best", "--json"]).stdout)
        XCTAssertEqual(export["order"] as! [Int], jacobian["order"] as! [Int])
        // Vertex i is the i-th equation of the jaxpr, with its primitive.
        let jaxpr = try String(
            contentsOf: CLITests.root.appendingPathComponent("Datasets/jaxpr/RoeFlux_1d.jaxpr"), encoding: .utf8)
        let primitives = jaxpr.split(separator: "\n").compactMap { line -> String? in
            guard let eq = line.range(of: " = "), line.contains(":") else { return nil }
            return String(line[eq.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "_" })
        }
        let vertices = export["vertices"] as! [[Any]]
        XCTAssertEqual(vertices.count, primitives.count)
        for (i, v) in vertices.enumerated() {
            XCTAssertEqual(v[0] as? Int, i + 1)
            XCTAssertEqual(v[1] as? String, primitives[i], "vertex \(i + 1)")
        }
        // The corpus states its own JAX; a jaxpr with no README beside it has an unknown version.
        let corpus = try cli.jsonObject(
            cli.run(["export", "Datasets/corpus/jaxpr/gru_cell.jaxpr", "--order", "rev", "--json"]).stdout)
        XCTAssertEqual(corpus["jax_version"] as? String, "0.4.38")
        let work = try temporaryDirectory()
        let copy = work.appendingPathComponent("gru.jaxpr")
        try FileManager.default.copyItem(
            at: CLITests.root.appendingPathComponent("Datasets/corpus/jaxpr/gru_cell.jaxpr"), to: copy)
        let unknown = try cli.jsonObject(cli.run(["export", copy.path, "--order", "rev", "--json"]).stdout)
        XCTAssertEqual(unknown["jax_version"] as? String, "unknown")
        XCTAssertTrue((unknown["notes"] as! [String])[0].contains("unknown"))
        let invalid = try cli.run(["export", "RoeFlux_1d", "--order", "5,5", "--json"])
        XCTAssertEqual(invalid.status, 1)
        XCTAssertTrue(invalid.stderr.contains("invalid elimination order"), invalid.stderr)
    }

    /// max |a − b| / (1 + |b|) over two nested JSON arrays of numbers (or NaN strings).
    private func difference(_ a: Any, _ b: Any) -> Double {
        maxRelativeDifference(TestFixtures.flatten(a), TestFixtures.flatten(b))
    }
}
