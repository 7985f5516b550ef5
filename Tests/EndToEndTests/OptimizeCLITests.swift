import Foundation
import XCTest

/// `ccelim optimize` through the real binary: the JSON contract, the policy alone, search on top
/// of it, the shipped policy found by default, no policy at all, and a program that cannot be
/// imported.
final class OptimizeCLITests: XCTestCase {
    private let keys: Set = [
        "program", "cost", "order", "forward", "reverse", "markowitz", "method", "seconds", "policy",
    ]

    func testPolicyAloneThenSearchWithEveryOrderReScored() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ccelim-e2e-opt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let program = try writeChainJaxpr(in: dir)
        let cli = CLIRunner()
        let run = dir.appendingPathComponent("run").path
        let trained = try cli.run([
            "train", "--solo", "--task", program, "--preset", "small", "--envs", "2", "--updates", "1", "--run-dir",
            run,
        ])
        XCTAssertEqual(trained.status, 0, trained.stderr)
        let policy = "\(run)/checkpoint.h5"

        let alone = try cli.run(["optimize", program, "--policy", policy, "--seconds", "0", "--json"])
        XCTAssertEqual(alone.status, 0, alone.stderr)
        XCTAssertEqual(alone.stderr, "", "piped: no progress line")
        let a = try cli.jsonObject(alone.stdout)
        XCTAssertEqual(Set(a.keys), keys)
        XCTAssertEqual(a["program"] as? String, "chain")
        XCTAssertEqual(a["policy"] as? String, policy)
        XCTAssertTrue((a["method"] as? String)?.hasPrefix("policy-") ?? false, "\(a)")
        try assertReScores(a, program, cli)

        let searched = try cli.run([
            "optimize", program, "--policy", policy, "--seconds", "0.5", "--threads", "2", "--json",
        ])
        XCTAssertEqual(searched.status, 0, searched.stderr)
        let s = try cli.jsonObject(searched.stdout)
        let cost = try XCTUnwrap(s["cost"] as? Int)
        XCTAssertLessThanOrEqual(cost, try XCTUnwrap(a["cost"] as? Int), "the search starts from the policy's orders")
        for baseline in ["forward", "reverse", "markowitz"] {
            XCTAssertLessThanOrEqual(cost, try XCTUnwrap(s[baseline] as? Int), baseline)
        }
        try assertReScores(s, program, cli)

        // Text output names the result and the policy.
        let text = try cli.run(["optimize", program, "--policy", policy, "--seconds", "0"])
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.contains("policy alone:") && text.stdout.contains("order: "), text.stdout)
    }

    /// Without --policy: the shipped checkpoint of Datasets/policies/, found like Datasets; with a
    /// Datasets folder that has none, the classical search only, said on stderr and `policy: null`.
    func testShippedPolicyByDefaultAndNoPolicyWithout() throws {
        let shipped = try runCCElim(["optimize", "PropaneCombustion", "--seconds", "0", "--json"])
        XCTAssertEqual(shipped.status, 0, shipped.stderr)
        let o = try parseJSONObject(shipped.stdout)
        XCTAssertTrue((o["policy"] as? String)?.hasSuffix("policies/generalist.h5") ?? false, "\(o)")

        let empty = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ccelim-e2e-nopolicy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        let bare = try runCCElim([
            "optimize", "Datasets/RoeFlux_1d.graph", "--datasets", empty.path, "--seconds", "0", "--json",
        ])
        XCTAssertEqual(bare.status, 0, bare.stderr)
        XCTAssertTrue(bare.stderr.contains("no policy found"), bare.stderr)
        let b = try parseJSONObject(bare.stdout)
        XCTAssertTrue(b["policy"] is NSNull, "\(b)")
        XCTAssertLessThanOrEqual(
            try XCTUnwrap(b["cost"] as? Int), min(b["forward"] as! Int, b["reverse"] as! Int, b["markowitz"] as! Int))
    }

    /// A user who links the binary into a folder on $PATH and runs `ccelim` by name, away from the
    /// checkout, still gets the shipped policy: the shell passes the bare name as argv[0], so the
    /// Datasets folder is found from the executable's real file, not from that name.
    func testShippedPolicyFoundWhenRunByNameFromPath() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ccelim-e2e-onpath-\(UUID().uuidString)")
        let bin = dir.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createSymbolicLink(
            at: bin.appendingPathComponent("ccelim"), withDestinationURL: CLITests.binary)
        let program = try writeChainJaxpr(in: dir)
        var environment = ProcessInfo.processInfo.environment
        environment["CCELIM_DATASETS"] = nil
        environment["PATH"] = bin.path + ":/usr/bin:/bin"
        let run = try runProcess(
            URL(fileURLWithPath: "/bin/sh"), ["-c", "ccelim optimize \(program) --seconds 0 --json"], cwd: dir,
            environment: environment)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertFalse(run.stderr.contains("no policy found"), run.stderr)
        let o = try parseJSONObject(run.stdout)
        XCTAssertTrue((o["policy"] as? String)?.hasSuffix("policies/generalist.h5") ?? false, "\(o)")
    }

    func testAProgramThatCannotBeImportedExits1NamingTheLine() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ccelim-e2e-optbad-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let bad = dir.appendingPathComponent("bad.jaxpr").path
        try "{ lambda ; a:f32[]. let\n    b:f32[] = sin a\n    c:f32[] = frobnicate b\n  in (c,) }\n".write(
            toFile: bad, atomically: true, encoding: .utf8)
        let r = try runCCElim(["optimize", bad, "--seconds", "0", "--json"])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stdout, "")
        XCTAssertTrue(r.stderr.contains("bad.jaxpr:3"), r.stderr)
    }

    private func assertReScores(_ o: [String: Any], _ program: String, _ cli: CLIRunner) throws {
        let order = try XCTUnwrap(o["order"] as? [Int]).map(String.init).joined(separator: ",")
        let scored = try cli.jsonObject(try cli.run(["cost", program, "--order", order, "--json"]).stdout)
        XCTAssertEqual(scored["cost"] as? Int, o["cost"] as? Int)
    }
}
