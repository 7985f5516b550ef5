import Foundation
import XCTest

@testable import Codegen

/// Generated JAX against `jax.jacrev`: the stored jacrev values of the original programs (the ten
/// tasks' reference values.json, float32; the corpus values.json, float64), and jax.jacrev of the
/// generated `f` itself; jit(vmap(jacobian)) against per-sample calls. Runs the installed JAX
/// 0.4.38 in float64 (jax_enable_x64), eagerly: XLA takes minutes to compile the largest programs.
final class JaxEmitterTests: XCTestCase {
    /// The ten tasks' reference values are float32 results; the corpus's are float64, and all 54
    /// programs × 3 orders agree within 3.7e-7 (quadrotor_step; 41 of 54 within 1e-8).
    let taskTolerance = 2e-4
    let corpusTolerance = 1e-6
    /// Our Jacobian against jax.jacrev of our own f, and vmap against per-sample, both float64.
    let selfTolerance = 1e-9

    func testTenTasksMatchJacrevForwardReverseAndBest() throws {
        try CodegenFixtures.requireJax()
        var entries: [[String: Any]] = []
        let directory = try CodegenFixtures.temporaryDirectory("jax")
        defer { try? FileManager.default.removeItem(at: directory) }
        let all = ProcessInfo.processInfo.environment["CCELIM_CODEGEN_CORPUS"] == "all"
        for task in CodegenFixtures.taskNames {
            for order in ["fwd", "rev", "best"] {
                // Encoder's forward-mode module runs eagerly for 20-25 s (a quarter of this file's
                // time) and tests no emitter path that its reverse and best modules and the other
                // nine forward modules do not: CCELIM_CODEGEN_CORPUS=all runs it.
                if task == "Encoder" && order == "fwd" && !all { continue }
                let path = directory.appendingPathComponent("\(task)_\(order).py").path
                try JaxEmitter.module(CodegenFixtures.layout(task, order: order, target: .jax)).write(
                    toFile: path, atomically: true, encoding: .utf8)
                // jacrev of f once per task; jit(vmap) on the small scalar tasks (XLA needs minutes for f).
                let small = ["RoeFlux_1d", "RobotArm_6DOF", "HumanHeartDipole", "PropaneCombustion", "g"].contains(task)
                entries.append([
                    "label": "\(task) \(order)", "module": path, "values": CodegenFixtures.referenceValues,
                    // Eager jacrev of f's and Encoder's generated f takes 20-60 s: their f is checked
                    // by one pullback in testStopGradientProgramsDifferentiateLikeTheProgram.
                    "task": task, "jacrev_f": order == "best" && !["f", "Encoder"].contains(task),
                    "jit_vmap": order == "best" && small,
                ])
            }
        }
        try check(entries, tolerance: taskTolerance, expectJitVmap: 5)
    }

    /// Every seventh corpus program (9 of 63, both scalar and tensor ones); CCELIM_CODEGEN_CORPUS=all runs all.
    func testCorpusProgramsMatchJacrev() throws {
        try CodegenFixtures.requireJax()
        let names = try CodegenFixtures.corpusNames()
        XCTAssertEqual(names.count, 63)
        let all = ProcessInfo.processInfo.environment["CCELIM_CODEGEN_CORPUS"] == "all"
        let chosen = all ? names : stride(from: 0, to: names.count, by: 7).map { names[$0] }
        let directory = try CodegenFixtures.temporaryDirectory("jax-corpus")
        defer { try? FileManager.default.removeItem(at: directory) }
        var entries: [[String: Any]] = []
        for (n, name) in chosen.enumerated() {
            for order in ["fwd", "rev", "best"] {
                let path = directory.appendingPathComponent("\(name)_\(order).py").path
                try JaxEmitter.module(CodegenFixtures.layout(name, order: order, corpus: true, target: .jax)).write(
                    toFile: path, atomically: true, encoding: .utf8)
                entries.append([
                    "label": "\(name) \(order)", "module": path, "values": CodegenFixtures.corpusValues, "task": name,
                    // Eager jacrev of a generated f takes 5-20 s: on every third program of the sample.
                    "jacrev_f": order == "best" && n % 3 == 0, "jit_vmap": false,
                ])
            }
        }
        try check(entries, tolerance: corpusTolerance, expectJitVmap: 0)
    }

    /// The control-flow fixtures (jnp.where, select_n, scan, fori_loop, expm1, reduce_prod) in
    /// forward and reverse order against their stored float64 jacrev values and jacrev of the
    /// generated f (its selects are jnp.where). long_where_scan's jacobian is level-vectorised
    /// (selects included), which XLA compiles for minutes (forward 400 s, reverse 95 s on two
    /// loaded cores, 2026-12-04; both within 2e-17 of jacrev): CCELIM_CODEGEN_CORPUS=all runs it.
    func testControlFlowProgramsMatchJacrev() throws {
        try CodegenFixtures.requireJax()
        let directory = try CodegenFixtures.temporaryDirectory("jax-control-flow")
        defer { try? FileManager.default.removeItem(at: directory) }
        var entries: [[String: Any]] = []
        let all = ProcessInfo.processInfo.environment["CCELIM_CODEGEN_CORPUS"] == "all"
        for name in CodegenFixtures.controlFlowPrograms where all || name != "long_where_scan" {
            for order in ["fwd", "rev"] {
                let path = directory.appendingPathComponent("\(name)_\(order).py").path
                let source = "\(CodegenFixtures.controlFlow)/\(name).jaxpr"
                try JaxEmitter.module(CodegenFixtures.layout(source, order: order, target: .jax)).write(
                    toFile: path, atomically: true, encoding: .utf8)
                // cond_guarded's generated f computes both branches of each cond and selects (as
                // jnp.where), so jax.jacrev of f meets the NaN of the branch not taken, which the
                // generated Jacobian (guarded, as the interpreter) does not: no jacrev of f there.
                entries.append([
                    "label": "\(name) \(order)", "module": path, "task": name,
                    "jacrev_f": order == "rev" && name != "cond_guarded",
                    "values": "\(CodegenFixtures.controlFlow)/values.json", "jit_vmap": false,
                ])
            }
        }
        try check(entries, tolerance: selfTolerance, expectJitVmap: 0)
    }

    /// The programs with a stop_gradient (three tasks, three corpus programs): JAX's reverse mode
    /// through the generated `f` is the original program's Jacobian, because `f` stops gradients
    /// where the program does. One pullback of a random cotangent u per program against u · J of
    /// the stored `jax.jacrev` values (a full jacrev of f's or Encoder's generated f takes
    /// minutes eagerly; a projection differs unless the Jacobians agree). Before stop_gradient
    /// was kept, f's projection was off by 8e-2. Eager pullbacks take 2-16 s each on a loaded
    /// machine: f, Perceptron and particle_reweighting by default; CCELIM_CODEGEN_CORPUS=all adds
    /// Encoder, attention_head and softmax_cross_entropy (whose stop_gradient guards a softmax's
    /// max, where it does not change the derivative).
    func testStopGradientProgramsDifferentiateLikeTheProgram() throws {
        try CodegenFixtures.requireJax()
        let directory = try CodegenFixtures.temporaryDirectory("jax-stop-gradient")
        defer { try? FileManager.default.removeItem(at: directory) }
        var entries: [[String: Any]] = []
        var programs = [("f", false), ("Perceptron", false), ("particle_reweighting", true)]
        if ProcessInfo.processInfo.environment["CCELIM_CODEGEN_CORPUS"] == "all" {
            programs += [("Encoder", false), ("attention_head", true), ("softmax_cross_entropy", true)]
        }
        for (name, corpus) in programs {
            let source =
                corpus
                ? "\(CodegenFixtures.datasets)/corpus/jaxpr/\(name).jaxpr"
                : "\(CodegenFixtures.datasets)/jaxpr/\(name).jaxpr"
            XCTAssertTrue(try String(contentsOfFile: source, encoding: .utf8).contains("stop_gradient"), name)
            let path = directory.appendingPathComponent("\(name).py").path
            try JaxEmitter.module(CodegenFixtures.layout(name, order: "best", corpus: corpus, target: .jax)).write(
                toFile: path, atomically: true, encoding: .utf8)
            entries.append([
                "label": "\(name) stop_gradient", "module": path, "task": name, "pullback_only": true,
                "values": corpus ? CodegenFixtures.corpusValues : CodegenFixtures.referenceValues,
            ])
        }
        let results = try runChecker(entries)
        XCTAssertEqual(results.count, entries.count, "the checker answered for every module")
        for (label, r) in results {
            if let error = r["error"] as? String {
                XCTFail("\(label): \(error)")
                continue
            }
            let tolerance =
                label.hasPrefix("f ") || label.hasPrefix("Encoder") || label.hasPrefix("Perceptron")
                ? taskTolerance : corpusTolerance
            XCTAssertLessThan(r["pullback_of_f_vs_reference"] as! Double, tolerance, label)
        }
    }

    /// Runs the checker on `entries`: (label, figures) for every line it prints.
    private func runChecker(_ entries: [[String: Any]]) throws -> [(String, [String: Any])] {
        let manifest = FileManager.default.temporaryDirectory.appendingPathComponent(
            "codegen-\(UUID().uuidString).json")
        try JSONSerialization.data(withJSONObject: entries).write(to: manifest)
        defer { try? FileManager.default.removeItem(at: manifest) }
        let result = try CodegenFixtures.run(["python3", "-c", Self.checker, manifest.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        return try result.stdout.split(separator: "\n").map { line in
            print("codegen jax \(line)")
            let r = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            return (r["label"] as! String, r)
        }
    }

    /// Runs the checker on `entries` and asserts every figure it prints.
    private func check(_ entries: [[String: Any]], tolerance: Double, expectJitVmap: Int) throws {
        var seen = 0, jitVmap = 0
        for (label, r) in try runChecker(entries) {
            seen += 1
            if let error = r["error"] as? String {
                XCTFail("\(label): \(error)")
                continue
            }
            XCTAssertLessThan(r["jacobian_vs_reference"] as! Double, tolerance, label)
            XCTAssertLessThan(r["outputs_vs_reference"] as! Double, tolerance, label)
            if let d = r["jacobian_vs_jacrev_of_f"] as? Double { XCTAssertLessThan(d, selfTolerance, label) }
            if let d = r["jit_vmap_vs_calls"] as? Double {
                XCTAssertLessThan(d, selfTolerance, label)
                jitVmap += 1
            }
        }
        XCTAssertEqual(seen, entries.count, "the checker answered for every module")
        XCTAssertEqual(jitVmap, expectJitVmap)
    }

    /// Reads the manifest; for each module prints one JSON line of max relative differences
    /// |a − b| / (1 + |b|) (NaN must meet NaN).
    static let checker = #"""
        import importlib.util, json, sys, time
        import numpy as np
        import jax
        jax.config.update("jax_enable_x64", True)
        import jax.numpy as jnp

        def decode(v):
            if isinstance(v, list): return [decode(x) for x in v]
            return {"NaN": np.nan, "Infinity": np.inf, "-Infinity": -np.inf}.get(v, v) if isinstance(v, str) else v

        def diff(a, b):
            a = np.asarray(a, dtype=np.float64); b = np.asarray(decode(b) if not hasattr(b, "shape") else b, dtype=np.float64)
            if a.shape != b.shape: return float("inf")
            if a.size == 0: return 0.0
            if np.any(np.isnan(a) != np.isnan(b)): return float("inf")
            ok = ~np.isnan(b)
            return float(np.max(np.abs(a[ok] - b[ok]) / (1 + np.abs(b[ok])), initial=0.0))

        for e in json.load(open(sys.argv[1])):
            out = {"label": e["label"]}
            try:
                start = time.time()
                spec = importlib.util.spec_from_file_location("generated", e["module"])
                m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)
                points = json.load(open(e["values"]))["tasks"][e["task"]]["points"]
                p = [q for q in points if not q["any_nonfinite"]][0]
                xs = [jnp.asarray(np.asarray(decode(v), dtype=np.float64)) for v in p["inputs"]]
                ref = p["jacobian_jacrev[out][in]"]
                if e.get("pullback_only"):
                    # u . J by JAX's reverse mode through the generated f, against u . (stored jacrev).
                    y, pullback = jax.vjp(m.f, *xs)
                    ys = y if isinstance(y, tuple) else (y,)
                    rng = np.random.default_rng(0)
                    us = [rng.standard_normal(np.shape(v)) for v in ys]
                    g = pullback(tuple(jnp.asarray(u) for u in us) if isinstance(y, tuple) else jnp.asarray(us[0]))
                    d = 0.0
                    for j in range(len(xs)):
                        J = [np.asarray(decode(ref[i][j]), dtype=np.float64).reshape(np.shape(ys[i]) + np.shape(xs[j])) for i in range(len(ys))]
                        want = sum(np.tensordot(us[i], J[i], axes=np.ndim(us[i])) for i in range(len(ys)))
                        scale = sum(np.tensordot(np.abs(us[i]), np.abs(J[i]), axes=np.ndim(us[i])) for i in range(len(ys)))
                        d = max(d, float(np.max(np.abs(np.asarray(g[j]) - want) / (1 + scale), initial=0.0)))
                    out["pullback_of_f_vs_reference"] = d
                    out["seconds"] = round(time.time() - start, 2)
                    print(json.dumps(out), flush=True)
                    continue
                # A level-vectorised jacobian compiles one XLA computation per vector operation
                # when run eagerly (minutes for f): jit it once instead.
                jacobian = jax.jit(m.jacobian) if "jacobian" in m.VECTORISED else m.jacobian
                outs, blocks = jacobian(*xs)
                n_out = len(outs)
                out["jacobian_vs_reference"] = max(diff(blocks[i][j], ref[i][j]) for i in range(n_out) for j in range(len(xs)))
                out["outputs_vs_reference"] = max(diff(outs[i], p["outputs"][i]) for i in range(n_out))
                if e["jacrev_f"]:
                    d = 0.0
                    for j in range(len(xs)):
                        J = jax.jacrev(m.f, argnums=j)(*xs)
                        if n_out == 1: J = (J,)
                        d = max(d, max(diff(blocks[i][j], J[i]) for i in range(n_out)))
                    out["jacobian_vs_jacrev_of_f"] = d
                if e["jit_vmap"]:
                    B = 3
                    bx = [jnp.stack([x * (1 + 1e-3 * b) for b in range(B)]) for x in xs]
                    vo, vb = jax.jit(jax.vmap(m.jacobian))(*bx)
                    d = 0.0
                    for b in range(B):
                        o1, b1 = m.jacobian(*[x[b] for x in bx])
                        d = max(d, max(diff(vb[i][j][b], b1[i][j]) for i in range(n_out) for j in range(len(xs))))
                        d = max(d, max(diff(vo[i][b], o1[i]) for i in range(n_out)))
                    out["jit_vmap_vs_calls"] = d
                out["seconds"] = round(time.time() - start, 2)
            except Exception as error:
                out["error"] = f"{type(error).__name__}: {error}"
            print(json.dumps(out), flush=True)
        """#
}
