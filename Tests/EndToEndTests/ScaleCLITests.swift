import Foundation
import XCTest

/// `ccelim bench scale` through the real binary: the JSON contract of issue 17, and the program of
/// each size is the one `ccelim generate` writes with the command the JSON names.
final class ScaleCLITests: XCTestCase {
    let cli = CLIRunner()

    func testScaleBenchJSONAndItsProgramsAreReproducible() throws {
        // Annealing's figures are checked in BenchmarksTests (a debug build anneals slowly).
        let r = try cli.run([
            "bench", "scale", "--sizes", "100,1100", "--anneal-seconds", "0", "--policy-max-equations", "0", "--json",
        ])
        XCTAssertEqual(r.status, 0, r.stderr)
        let o = try cli.jsonObject(r.stdout)
        XCTAssertEqual(o["benchmark"] as? String, "scale")
        let sizes = try XCTUnwrap(o["sizes"] as? [[String: Any]])
        XCTAssertEqual(sizes.map { $0["equations"] as? Int }, [100, 1100])
        for key in ["equations", "import_s", "baselines_s", "peak_bytes", "anneal_improvement", "policy_episode_s"] {
            XCTAssertTrue(sizes.allSatisfy { $0.keys.contains(key) }, key)
        }
        XCTAssertEqual(sizes.map { $0["layout"] as? String }, ["dense", "sparse"])
        XCTAssertTrue(sizes.allSatisfy { $0["policy_episode_s"] is NSNull }, "no policy episode up to 0 equations")
        XCTAssertTrue(sizes.allSatisfy { $0["anneal_improvement"] is NSNull }, "no annealing at 0 seconds")

        // The program of the larger size, written by the command the JSON names.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ccelim-scale-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("p.graph").path
        let command = try XCTUnwrap(sizes[1]["program"] as? String)
        var arguments = command.split(separator: " ").map(String.init).dropFirst()  // "ccelim"
        XCTAssertEqual(arguments.removeLast(), "FILE")
        let generated = try cli.run(Array(arguments) + [file])
        XCTAssertEqual(generated.status, 0, generated.stderr)
        let baselines = try cli.run(["baselines", "--json", file])
        XCTAssertEqual(baselines.status, 0, baselines.stderr)
        let b = try cli.jsonObject(baselines.stdout)
        for key in ["forward", "reverse", "markowitz"] {
            XCTAssertEqual(b[key] as? Int, sizes[1][key] as? Int, key)
        }
    }

    func testBadSizesAreOneLine() throws {
        for (flags, message) in [
            (["--sizes", "10,abc"], "--sizes must be equation counts"),
            (["--sizes", "1"], "--sizes must each be 2…1000000"),
            (["--preset", "rk4", "--sizes", "50"], "--sizes must each be 120…1000000 for --preset rk4"),
            (["--anneal-seconds=-1"], "--anneal-seconds must be ≥ 0"),
        ] {
            let r = try cli.run(["bench", "scale"] + flags)
            XCTAssertNotEqual(r.status, 0, flags.joined(separator: " "))
            XCTAssertTrue(r.stderr.contains(message), r.stderr)
        }
    }
}
