import Foundation
import XCTest

/// Runs the real `ccelim` binary, as a user or a script would.
final class CLITests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The built executable sits next to the test bundle.
    static var binary: URL {
        let bundle = Bundle(for: CLITests.self).bundleURL
        for dir in [bundle, bundle.deletingLastPathComponent()] {
            let candidate = dir.appendingPathComponent("ccelim")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return bundle.deletingLastPathComponent().appendingPathComponent("ccelim")
    }

    typealias Result = CLIResult

    func run(_ arguments: [String], cwd: URL = CLITests.root) throws -> Result {
        try runCCElim(arguments, cwd: cwd)
    }

    func jsonObject(_ text: String) throws -> [String: Any] {
        try parseJSONObject(text)
    }

    /// Every command's --help (found by walking SUBCOMMANDS from the top) has its overview and
    /// discussion wrapped by ArgumentParser only: a line that ends while the next line's first word
    /// would still have fitted with room to spare is a hard break in the source text.
    func testEveryHelpTextIsWrappedOnlyByTheParser() throws {
        // A row of a deliberate table ("  name      what it is") starts its own line.
        func isTableRow(_ line: String) -> Bool {
            line.range(of: #"^\s*\S+\s{2,}\S"#, options: .regularExpression) != nil
        }
        var queue: [[String]] = [[]], seen = 0
        while let command = queue.popLast() {
            let r = try run(command + ["--help"])
            XCTAssertEqual(r.status, 0, "\(command): \(r.stderr)")
            seen += 1
            let parts = r.stdout.components(separatedBy: "USAGE:")
            for paragraph in parts[0].components(separatedBy: "\n\n") {
                let lines = paragraph.split(separator: "\n").map(String.init)
                for (line, next) in zip(lines, lines.dropFirst()) where !isTableRow(next) {
                    let word = next.split(separator: " ").first.map(String.init) ?? ""
                    XCTAssertGreaterThan(
                        line.count + 1 + word.count, 70,
                        "ccelim \(command.joined(separator: " ")) --help breaks before '\(word)': \(line)")
                }
            }
            // Subcommands: the indented names under SUBCOMMANDS (descriptions are indented further).
            if let list = r.stdout.components(separatedBy: "SUBCOMMANDS:\n").dropFirst().first {
                for line in list.split(separator: "\n").prefix(while: { $0.hasPrefix(" ") })
                where line.hasPrefix("  ") && !line.hasPrefix("   ") {
                    let name = String(line.split(separator: " ").first!)
                    // Names are lowercase words ("See 'ccelim help …'" below the list is not one).
                    if name != "help", name.allSatisfy({ $0.isLowercase || $0 == "-" }) {
                        queue.append(command + [name])
                    }
                }
            }
        }
        XCTAssertGreaterThan(seen, 20, "walked every command")
    }

    func testTasksJSONListsAllTen() throws {
        let r = try run(["tasks", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let rows = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [[String: Any]]
        XCTAssertEqual(rows.count, 10)
        let roe = rows.first { $0["task"] as? String == "RoeFlux_1d" }!
        XCTAssertEqual(roe["forward"] as? Int, 620)
        XCTAssertEqual(roe["reverse"] as? Int, 364)
        XCTAssertEqual(roe["markowitz"] as? Int, 407)
        XCTAssertEqual(roe["eliminable"] as? Int, 98)
    }

    func testBaselinesJSONKeysForTaskGraphFileAndJaxpr() throws {
        for arg in ["RoeFlux_1d", "Datasets/RoeFlux_1d.graph", "Datasets/jaxpr/RoeFlux_1d.jaxpr"] {
            let r = try run(["baselines", arg, "--json"])
            XCTAssertEqual(r.status, 0, r.stderr)
            let o = try jsonObject(r.stdout)
            for key in [
                "task", "inputs", "vertices", "eliminable", "outputs", "forward", "reverse", "markowitz",
                "markowitz_order",
            ] {
                XCTAssertNotNil(o[key], "\(arg): missing \(key)")
            }
            XCTAssertEqual(o["task"] as? String, "RoeFlux_1d")
            XCTAssertEqual(o["markowitz"] as? Int, 407)
            XCTAssertEqual((o["markowitz_order"] as? [Int])?.count, 98)
        }
    }

    func testCostOfAnOrderAndRefusalOfABadOne() throws {
        let tasks =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: Self.root.appendingPathComponent("Tests/Fixtures/reference/tasks.json")))
            as! [String: Any]
        let roe = (tasks["tasks"] as! [String: Any])["RoeFlux_1d"] as! [String: Any]
        let published = (roe["published_orders"] as! [[String: Any]])[0]
        let order = (published["order"] as! [Int]).map(String.init).joined(separator: ",")
        let r = try run(["cost", "RoeFlux_1d", "--order", order, "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let o = try jsonObject(r.stdout)
        XCTAssertEqual(o["cost"] as? Int, 320)
        XCTAssertEqual((o["steps"] as? [Int])?.reduce(0, +), 320)

        let bad = try run(["cost", "RoeFlux_1d", "--order", "1,2,97"])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("vertex 97 is an output"), bad.stderr)
        let junk = try run(["cost", "RoeFlux_1d", "--order", "1,x"])
        XCTAssertNotEqual(junk.status, 0)
        XCTAssertTrue(junk.stderr.contains("'x' is not a vertex id"), junk.stderr)
        let unknown = try run(["cost", "NoSuchTask", "--order", "1"])
        XCTAssertNotEqual(unknown.status, 0)
        XCTAssertTrue(unknown.stderr.contains("unknown task"), unknown.stderr)
    }

    func testImportJaxprWritesTheDatasetFileAndRefusesBadInput() throws {
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("ccelim-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: tmp) }
        let out = tmp.appendingPathComponent("f.graph")
        let r = try run(["import-jaxpr", "Datasets/jaxpr/f.jaxpr", "-o", out.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        // Same graph as the shipped Dataset (the shipped one also carries a provenance note).
        let mine = try String(contentsOf: out, encoding: .utf8)
        let shipped = try String(contentsOf: Self.root.appendingPathComponent("Datasets/f.graph"), encoding: .utf8)
        XCTAssertEqual(
            mine.split(separator: "\n").filter { !$0.hasPrefix("note ") },
            shipped.split(separator: "\n").filter { !$0.hasPrefix("note ") })
        let cost = try run(["baselines", out.path, "--json"])
        XCTAssertEqual(try jsonObject(cost.stdout)["reverse"] as? Int, 9333)

        let bad = tmp.appendingPathComponent("bad.jaxpr")
        try "{ lambda ; a:f32[]. let\n    b:f32[] = sin a\n    c:f32[] = wobble b\n  in (c,) }\n".write(
            to: bad, atomically: true, encoding: .utf8)
        let refused = try run(["import-jaxpr", bad.path, "-o", tmp.appendingPathComponent("bad.graph").path])
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.stderr.contains("bad.jaxpr:3"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("wobble"), refused.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: tmp.appendingPathComponent("bad.graph").path))
    }

    func testBenchGameJSON() throws {
        let r = try run(["bench", "game", "--task", "PropaneCombustion", "--runs", "1", "--seconds", "0.05", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let o = try jsonObject(r.stdout)
        let task = (o["tasks"] as! [[String: Any]])[0]
        XCTAssertEqual(task["task"] as? String, "PropaneCombustion")
        XCTAssertGreaterThan(task["steps_per_second"] as? Double ?? 0, 0)
        XCTAssertGreaterThan(task["copy_ns"] as? Double ?? 0, 0)
    }
}
