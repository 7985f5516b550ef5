import Foundation
import XCTest

/// `ccelim jacobian` and `ccelim bench jacobian` as a user runs them (tiny settings).
final class JacobianCLITests: XCTestCase {
    /// The shared runner of the real binary (RunCLI.swift).
    struct Runner {
        func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
            let r = try runCCElim(arguments)
            return (r.status, r.stdout, r.stderr)
        }

        func jsonObject(_ text: String) throws -> [String: Any] { try parseJSONObject(text) }
    }

    let cli = Runner()

    func testJacobianJSONWithCheck() throws {
        let r = try cli.run(["jacobian", "RoeFlux_1d", "--order", "best", "--check", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let o = try cli.jsonObject(r.stdout)
        for key in ["outputs", "jacobian", "multiplications", "model_multiplications", "seconds", "check"] {
            XCTAssertNotNil(o[key], key)
        }
        // `best` is the order stored in Datasets/best-orders.json: its cost is the model's count.
        let stored =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: CLITests.root.appendingPathComponent("Datasets/best-orders.json")))
            as? [String: [String: Any]]
        let bestCost = try XCTUnwrap(stored?["RoeFlux_1d"]?["cost"] as? Int)
        XCTAssertEqual(o["model_multiplications"] as? Int, bestCost)
        XCTAssertLessThan(bestCost, 320)  // cheaper than AlphaGrad's best published order
        XCTAssertEqual((o["jacobian"] as? [[Any]])?.count, 3)
        let check = o["check"] as! [String: [String: Double]]
        XCTAssertLessThan(check["finite_differences"]!["max_rel_diff"]!, 1e-5)
        XCTAssertLessThan(check["reverse_mode"]!["max_abs_diff"]!, 1e-10)
    }

    func testInputsFileAndItsErrors() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ccelim-jacobian-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = dir.appendingPathComponent("good.json"), short = dir.appendingPathComponent("short.json"),
            nan = dir.appendingPathComponent("nan.json")
        try Data("[[[0.5]], [[0.1, 0.2, 0.3]], [[0.4]], [[0.5]], [[0.6, 0.7, 0.8]], [[0.9]]]".utf8).write(to: good)
        try Data("[[[0.5]], [[0.1, 0.2]], [[0.4]], [[0.5]], [[0.6, 0.7, 0.8]], [[0.9]]]".utf8).write(to: short)
        try Data("[[[0.5]], [[0.1, 0.2, 0.3]], [[\"NaN\"]], [[0.5]], [[0.6, 0.7, 0.8]], [[0.9]]]".utf8).write(to: nan)
        let ok = try cli.run(["jacobian", "RoeFlux_3d", "--order", "rev", "--inputs", good.path, "--json"])
        XCTAssertEqual(ok.status, 0, ok.stderr)
        let bad = try cli.run(["jacobian", "RoeFlux_3d", "--inputs", short.path])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("input 2") && bad.stderr.contains("expected 3 entries"), bad.stderr)
        let withNaN = try cli.run(["jacobian", "RoeFlux_3d", "--inputs", nan.path, "--json"])
        XCTAssertEqual(withNaN.status, 0, withNaN.stderr)
        XCTAssertTrue(withNaN.stderr.contains("NaN") && withNaN.stderr.contains("input 3"), withNaN.stderr)
        XCTAssertGreaterThan(try cli.jsonObject(withNaN.stdout)["nonfinite"] as! Int, 0)
    }

    func testBenchJacobianJSON() throws {
        let r = try cli.run([
            "bench", "jacobian", "--tasks", "HumanHeartDipole", "--batches", "1,3", "--orders", "fwd,best",
            "--runs", "1", "--seconds", "0.001", "--json",
        ])
        XCTAssertEqual(r.status, 0, r.stderr)
        let rows = try cli.jsonObject(r.stdout)["results"] as! [[String: Any]]
        XCTAssertEqual(rows.count, 4)
        XCTAssertNotNil(rows[0]["median_ms"] as? Double)
    }
}
