import Foundation
import XCTest

/// `ccelim bound` end to end: the JSON contract, agreement with `search --method exact`, the
/// honest typed answer and bad input.
final class BoundCLITests: XCTestCase {
    func testJSONOnATruncatedScalarTaskAgreesWithTheExactSearch() throws {
        let r = try runCCElim(["bound", "PropaneCombustion", "--truncate", "20", "--seconds", "60", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stderr, "", "piped output must stay quiet")
        let o = try parseJSONObject(r.stdout)
        for key in ["program", "lower_bound", "best_cost", "best_order", "gap", "status", "seconds"] {
            XCTAssertNotNil(o[key], key)
        }
        XCTAssertEqual(o["status"] as? String, "optimal")
        XCTAssertEqual(o["lower_bound"] as? Int, o["best_cost"] as? Int)
        XCTAssertEqual(o["gap"] as? Double, 0)

        let exact = try runCCElim(["search", "PropaneCombustion", "--truncate", "20", "--method", "exact", "--json"])
        XCTAssertEqual(exact.status, 0, exact.stderr)
        XCTAssertEqual(try parseJSONObject(exact.stdout)["best_cost"] as? Int, o["best_cost"] as? Int)
    }

    func testTheIntegerProgramMethodKeepsTheContract() throws {
        // (Whether CBC itself finds the optimum, and stays silent, is BoundRunTests' and
        // EliminationProgramTests' job: no task prefix is a scalar graph the pairs do not close.)
        let r = try runCCElim([
            "bound", "RobotArm_6DOF", "--truncate", "22", "--method", "ilp", "--group-size", "0", "--seconds", "60",
            "--json",
        ])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stderr, "", "piped output must stay quiet")
        let o = try parseJSONObject(r.stdout)
        XCTAssertEqual(o["method"] as? String, "ilp-cbc")
        XCTAssertEqual(o["status"] as? String, "optimal")
        XCTAssertNotNil(o["model_columns"])
        let exact = try runCCElim(["search", "RobotArm_6DOF", "--truncate", "22", "--method", "exact", "--json"])
        XCTAssertEqual(try parseJSONObject(exact.stdout)["best_cost"] as? Int, o["best_cost"] as? Int)

        let badMethod = try runCCElim(["bound", "g", "--method", "simplex"])
        XCTAssertEqual(badMethod.status, 1)
        XCTAssertTrue(badMethod.stderr.contains("--method"), badMethod.stderr)
    }

    /// A user's order reaches `bound` as the JSON another command printed; bad ones exit 1.
    func testAnOrderFromAnotherCommandsJSONIsBounded() throws {
        let exact = try runCCElim(["search", "PropaneCombustion", "--truncate", "20", "--method", "exact", "--json"])
        XCTAssertEqual(exact.status, 0, exact.stderr)
        let optimum = try parseJSONObject(exact.stdout)["best_cost"] as! Int
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(
            "bound-order-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try exact.stdout.write(to: file, atomically: true, encoding: .utf8)

        let r = try runCCElim([
            "bound", "PropaneCombustion", "--truncate", "20", "--order", file.path, "--anneal-seconds", "0",
            "--seconds", "60", "--json",
        ])
        XCTAssertEqual(r.status, 0, r.stderr)
        let o = try parseJSONObject(r.stdout)
        XCTAssertEqual(o["best_cost"] as? Int, optimum)
        // Known orders come first and a tie keeps the first: the file is named as the best's source.
        XCTAssertEqual(o["best_source"] as? String, file.path)
        XCTAssertEqual(o["status"] as? String, "optimal")

        for (arguments, expected) in [
            (["--order", file.path + ".missing"], "cannot read"),
            (["--order", "1,2"], "is not an order of"),
            (["--anneal-seconds=-1"], "--anneal-seconds must be 0 or more"),
        ] {
            let bad = try runCCElim(["bound", "PropaneCombustion", "--truncate", "20"] + arguments)
            XCTAssertEqual(bad.status, 1, "\(arguments)")
            XCTAssertTrue(bad.stderr.contains(expected), bad.stderr)
        }
    }

    func testAFullTaskWithinASecondIsBoundedWithTheStoredOrder() throws {
        // Groups of three, no merging (the defaults are slow in a debug build).
        let r = try runCCElim([
            "bound", "RoeFlux_1d", "--seconds", "1", "--group-size", "3", "--merge-size", "0", "--json",
        ])
        XCTAssertEqual(r.status, 0, r.stderr)
        let o = try parseJSONObject(r.stdout)
        let lower = o["lower_bound"] as! Int, best = o["best_cost"] as! Int
        XCTAssertLessThanOrEqual(best, 295)  // Datasets/best-orders.json
        // How far the groups get within one wall-clock second depends on the machine's load (at
        // load 10 a debug build stops inside the start bound), so only what a cut-short bound
        // still guarantees is checked here; that groups of three beat the pairs is GroupBound's
        // test, without a deadline.
        let root = o["root_bound"] as! Int
        XCTAssertGreaterThan(root, 0)
        XCTAssertLessThanOrEqual(root, lower)
        XCTAssertLessThanOrEqual(lower, best)
        XCTAssertEqual(o["status"] as? String, lower == best ? "optimal" : "bounded")
    }

    func testSharesSayWhereTheBestOrderPaysAboveTheStartBound() throws {
        // Groups of three, no merging, no split (a debug build); the CPU clock, so load cannot cut
        // the second solve of the start groups short.
        let flags = [
            "--group-size", "3", "--merge-size", "0", "--precedence-split", "0", "--seconds", "5", "--clock", "cpu",
        ]
        let r = try runCCElim(["bound", "RoeFlux_1d"] + flags + ["--shares", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let o = try parseJSONObject(r.stdout)
        let shares = try XCTUnwrap(o["shares"] as? [[String: Any]], "\(o["shares"] ?? "missing")")
        var members = Set<Int>()
        for row in shares {
            let bound = row["bound"] as! Int, paid = row["paid"] as! Int
            XCTAssertGreaterThanOrEqual(paid, bound, "\(row)")
            for v in row["members"] as! [Int] { XCTAssertTrue(members.insert(v).inserted, "v\(v) twice") }
        }
        XCTAssertEqual(shares.reduce(0) { $0 + ($1["paid"] as! Int) }, o["best_cost"] as? Int)
        XCTAssertLessThan(shares.reduce(0) { $0 + ($1["bound"] as! Int) }, o["best_cost"] as! Int)
        let first = shares[0]
        XCTAssertGreaterThan(first["paid"] as! Int, first["bound"] as! Int, "the most paying block first")

        let text = try runCCElim(["bound", "RoeFlux_1d"] + flags + ["--shares"])
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.contains("start blocks pay more than their share"), text.stdout)
        let plain = try runCCElim(["bound", "PropaneCombustion", "--truncate", "20", "--seconds", "30", "--json"])
        XCTAssertTrue(try parseJSONObject(plain.stdout)["shares"] is NSNull, "not asked: null")
        let typed = try runCCElim(["bound", "Perceptron", "--seconds", "5", "--shares", "--json"])
        let t = try parseJSONObject(typed.stdout)
        XCTAssertTrue(t["shares"] is NSNull)
        XCTAssertTrue((t["notes"] as! [String]).contains { $0.hasPrefix("shares:") }, "\(t["notes"] ?? "")")
    }

    func testTheSplitsPartsTurnOffAndBadValuesExitOne() throws {
        // The split is on by default (bounds11); every part has a way off, and the CPU clock.
        let off = try runCCElim([
            "bound", "PropaneCombustion", "--truncate", "20", "--seconds", "30", "--clock", "cpu", "--no-split-ends",
            "--split-focus", "edges", "--no-split-leaf-guides", "--split-candidates", "2", "--json",
        ])
        XCTAssertEqual(off.status, 0, off.stderr)
        XCTAssertEqual(try parseJSONObject(off.stdout)["status"] as? String, "optimal")
        let badFocus = try runCCElim(["bound", "g", "--split-focus", "far"])
        XCTAssertEqual(badFocus.status, 1)
        XCTAssertTrue(badFocus.stderr.contains("--split-focus"), badFocus.stderr)
        let badClock = try runCCElim(["bound", "g", "--clock", "sundial"])
        XCTAssertEqual(badClock.status, 1)
        XCTAssertTrue(badClock.stderr.contains("--clock"), badClock.stderr)
    }

    func testTwoThreadsShareTheSplitAndBadThreadCountsExitOne() throws {
        // A weak start (groups of three, no merging) leaves the split work for both threads within
        // 6 s of the process's CPU; the best order is the stored 295 (Datasets/best-orders.json), and
        // the bound stays at or below it, RoeFlux_1d's proven optimum.
        let r = try runCCElim([
            "bound", "RoeFlux_1d", "--group-size", "3", "--merge-size", "0", "--anneal-seconds", "0", "--seconds", "6",
            "--clock", "cpu", "--threads", "2", "--json",
        ])
        XCTAssertEqual(r.status, 0, r.stderr)
        let o = try parseJSONObject(r.stdout)
        let lower = try XCTUnwrap(o["lower_bound"] as? Int)
        XCTAssertLessThanOrEqual(lower, 295)
        XCTAssertEqual(o["best_cost"] as? Int, 295)
        let notes = o["notes"] as! [String]
        XCTAssertTrue(notes.contains { $0.hasPrefix("precedence split:") && $0.hasSuffix(", 2 threads)") }, "\(notes)")
        for bad in ["0", "65", "two"] {
            let b = try runCCElim(["bound", "g", "--threads", bad])
            XCTAssertNotEqual(b.status, 0, bad)
            XCTAssertTrue(b.stderr.contains("--threads") || b.stderr.contains("threads"), b.stderr)
        }
    }

    /// Ctrl-C on a long proof prints what it has proven (exit 130), instead of losing it: g with ten
    /// minutes, interrupted once its first status line is out (the handler is in place by then).
    func testAnInterruptPrintsTheBoundProvenSoFar() throws {
        let (first, r) = try runCCElimInterrupted(["bound", "g", "--seconds", "600", "--anneal-seconds", "0", "--json"])
        XCTAssertTrue(first.hasPrefix("bound g: "), first)
        XCTAssertEqual(r.status, 130, r.stderr)
        let report = try parseJSONObject(r.stdout)
        XCTAssertEqual(report["stop"] as? String, "interrupted")
        XCTAssertEqual(report["status"] as? String, "bounded")
        let lower = try XCTUnwrap(report["lower_bound"] as? Int), best = try XCTUnwrap(report["best_cost"] as? Int)
        XCTAssertGreaterThan(lower, 0)
        XCTAssertLessThanOrEqual(lower, 409)
        XCTAssertGreaterThanOrEqual(best, 409)
        XCTAssertLessThan(try XCTUnwrap(report["seconds"] as? Double), 600)
        XCTAssertTrue((report["notes"] as? [String])?.contains { $0.hasPrefix("interrupted after") } == true)
    }

    func testTypedTaskGetsAnHonestAnswerAndBadInputExitsOne() throws {
        let typed = try runCCElim(["bound", "Perceptron", "--seconds", "5", "--json"])
        XCTAssertEqual(typed.status, 0, typed.stderr)
        let o = try parseJSONObject(typed.stdout)
        // No bound is proven under typed costs: said so, not a "bounded" gap over 0.
        XCTAssertEqual(o["status"] as? String, "unbounded")
        XCTAssertEqual(o["lower_bound"] as? Int, 0)
        XCTAssertTrue(o["gap"] is NSNull, "\(o["gap"] ?? "missing")")
        XCTAssertTrue((o["reason"] as? String)?.contains("typed") == true, "\(o["reason"] ?? "missing")")

        let missing = try runCCElim(["bound", "NoSuchTask"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("NoSuchTask"), missing.stderr)
        let badSeconds = try runCCElim(["bound", "g", "--seconds", "0"])
        XCTAssertEqual(badSeconds.status, 1)
        XCTAssertTrue(badSeconds.stderr.contains("--seconds"), badSeconds.stderr)
        let badGroups = try runCCElim(["bound", "g", "--group-size", "13"])
        XCTAssertEqual(badGroups.status, 1)
        XCTAssertTrue(badGroups.stderr.contains("--group-size"), badGroups.stderr)
        for parts in ["1", "5"] {
            let badParts = try runCCElim(["bound", "g", "--merge-parts", parts])
            XCTAssertEqual(badParts.status, 1, parts)
            XCTAssertTrue(badParts.stderr.contains("--merge-parts must be in 2...4"), badParts.stderr)
        }
    }
}
