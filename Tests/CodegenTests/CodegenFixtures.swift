import Elimination
import Foundation
import Jacobian
import TaskFiles
import XCTest

@testable import Codegen

/// The project's Datasets, compiled Jacobians for (program, order), and child processes (python3,
/// cc) for the tests that run generated code.
enum CodegenFixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let datasets = root.appendingPathComponent("Datasets").path
    static let referenceValues = root.appendingPathComponent("Tests/Fixtures/reference/values.json").path
    static let corpusValues = root.appendingPathComponent("Datasets/corpus/values.json").path
    /// Small float64 programs with comparisons, select_n, scan and fori_loop (make-fixtures.py there).
    static let controlFlow = root.appendingPathComponent("Tests/Fixtures/control-flow").path
    static let controlFlowPrograms = [
        "where_activation", "comparisons", "masks", "select_index", "expm1_prod", "cumulative", "sign_finite",
        "flip_pad", "gather_take", "diagonal_points", "nonfinite_literals", "rounding_roots", "clamp_round_rem",
        "cumulative_scans", "arg_extremes", "sort_median", "runtime_gather", "cumulative_logsumexp", "runtime_scatter",
        "argsort_rank", "cond_guarded", "while_counter", "cond_switch", "interp_search", "scatter_set_add",
        "cholesky_solve", "triangular_solves", "gaussian_logpdf", "linear_solve", "lu_factor_solve", "determinants",
        "qr_decomposition", "tridiagonal", "matrix_solve", "pairwise_energy", "attention_heads", "rank3_reindexing",
        "convolutions", "take_along", "special_functions", "boundary_shapes",
        "scan_rnn", "scan_reverse",
        "fori_integrator", "nested", "long_where_scan", "narrow_floats", "integer_widths",
    ]

    static let taskNames = [
        "RoeFlux_1d", "RoeFlux_3d", "RobotArm_6DOF", "HumanHeartDipole", "PropaneCombustion",
        "BlackScholes_Jacobian", "Perceptron", "Encoder", "f", "g",
    ]

    /// The corpus programs, sorted by name.
    static func corpusNames() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: "\(datasets)/corpus/jaxpr")
            .filter { $0.hasSuffix(".jaxpr") }.map { String($0.dropLast(6)) }.sorted()
    }

    /// A task name, a corpus program when `corpus` is set, or a path to a .jaxpr, compiled for `target`.
    static func layout(
        _ program: String, order: String, corpus: Bool = false, target: CodegenLayout.Target
    ) throws -> CodegenLayout {
        let argument = corpus ? "\(datasets)/corpus/jaxpr/\(program).jaxpr" : program
        let graph = try GraphSource.load(argument, datasets: datasets)
        let choice = try OrderChoice.resolve(order, graph: graph, spec: GameSpec(graph: graph), datasets: datasets)
        let compiled = try CodegenLayout.compile(graph, order: choice.order, for: target)
        return try CodegenLayout(compiled: compiled, name: nil, provenance: ["test \(program) \(order)"])
    }

    static func temporaryDirectory(_ label: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ccelim-codegen-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    struct ProcessResult {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ arguments: [String], cwd: URL? = nil) throws -> ProcessResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        if let cwd { process.currentDirectoryURL = cwd }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read stderr on another thread so neither pipe fills while the other is drained.
        final class Box: @unchecked Sendable { var data = Data() }
        let errors = Box(), done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            errors.data = err.fileHandleForReading.readDataToEndOfFile()
            done.signal()
        }
        let o = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        done.wait()
        return ProcessResult(
            status: process.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
            stderr: String(decoding: errors.data, as: UTF8.self))
    }

    /// Skips unless python3 imports jax (installed by Ops/install-deps from Ops/python-requirements.txt).
    static func requireJax() throws {
        let probe = try run(["python3", "-c", "import jax"])
        if probe.status != 0 {
            throw XCTSkip("python3 cannot import jax (Ops/install-deps installs it): \(probe.stderr)")
        }
    }

    static func requireCC() throws {
        let probe = try run(["cc", "--version"])
        if probe.status != 0 { throw XCTSkip("no system C compiler `cc`") }
    }
}
