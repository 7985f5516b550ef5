import Foundation
import XCTest

/// Issue 12 findings 6 and 7 through the real binary: sizes from outside are refused with one
/// printable line and exit 1 (never an allocation failure), and a second learner is told why.
final class LimitsCLITests: ClusterTestCase {
    /// A 300,000-equation chain (9 MB) used to die with "failed to allocate 360002400032 bytes";
    /// the sparse game state (issue 17) now holds it, so the refusal is for a graph that does not
    /// fit even sparse: a graph file claiming 9,000,000 vertices, refused at its header line.
    func testAHugeGraphIsRefusedInOneLine() throws {
        let text = "ccelim-graph 1\nname big\ninputs 1\nin1 a f32[]\nconstants 0\nvertices 9000000\n"
        let path = directory.appendingPathComponent("big.graph").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let r = try runCLI(["baselines", path])
        XCTAssertEqual(r.status, 1, r.all)
        let lines = r.stderr.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, r.stderr)
        for part in ["\(path):6:", "9,000,000 vertices", "1 GiB", "at most 8,380,423 vertices", "sparse"] {
            XCTAssertTrue(r.stderr.contains(part), "'\(part)' missing: \(r.stderr)")
        }
    }

    /// The error for a file of NUL bytes printed raw NULs.
    func testAFileOfNULBytesGetsAPrintableError() throws {
        let path = directory.appendingPathComponent("nul.jaxpr").path
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(repeating: 0, count: 4096)))
        let r = try runCLI(["import-jaxpr", path, "-o", directory.appendingPathComponent("out.graph").path])
        XCTAssertEqual(r.status, 1, r.all)
        XCTAssertFalse(r.stderr.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, r.stderr.debugDescription)
        XCTAssertTrue(r.stderr.contains("found '\\0\\0\\0"), r.stderr)
    }

    /// A jaxpr file named with a space gave a graph file that could not be read back.
    func testImportedGraphNamesReadBack() throws {
        let input = directory.appendingPathComponent("my chain.jaxpr")
        try FileManager.default.copyItem(
            at: CLITests.root.appendingPathComponent("Tests/Fixtures/chain.jaxpr"), to: input)
        let output = directory.appendingPathComponent("chain.graph").path
        let imported = try runCLI(["import-jaxpr", input.path, "-o", output])
        XCTAssertEqual(imported.status, 0, imported.all)
        let baselines = try runCLI(["baselines", output, "--json"])
        XCTAssertEqual(baselines.status, 0, baselines.all)
        XCTAssertEqual(try jsonObject(baselines.stdout)["task"] as? String, "my_chain")
        let named = try runCLI(["import-jaxpr", input.path, "-o", output, "--name", "two words"])
        XCTAssertEqual(named.status, 1, named.all)
        XCTAssertTrue(named.stderr.contains("--name 'two words' must be 1…256 bytes without white space"), named.stderr)
    }

    /// `--batch 1000000000` passed 3 GB and aborted; `--runs 0` silently ran once.
    func testJacobianBatchAndRunsAreChecked() throws {
        let huge = try runCLI(["jacobian", "RoeFlux_1d", "--order", "rev", "--batch", "1000000000"])
        XCTAssertEqual(huge.status, 1, huge.all)
        XCTAssertTrue(huge.stderr.contains("--batch 1000000000: a batch of 1000000000 samples needs"), huge.stderr)
        XCTAssertTrue(huge.stderr.contains("use a batch of at most"), huge.stderr)
        for bad in ["0", "-3"] {
            let runs = try runCLI(["jacobian", "RoeFlux_1d", "--order", "rev", "--bench", "--runs=\(bad)"])
            XCTAssertNotEqual(runs.status, 0, runs.all)
            XCTAssertTrue(runs.stderr.contains("--runs must be 1…1000, not \(bad)"), runs.stderr)
        }
        let batch = try runCLI(["jacobian", "RoeFlux_1d", "--order", "rev", "--batch", "0"])
        XCTAssertNotEqual(batch.status, 0, batch.all)
        XCTAssertTrue(batch.stderr.contains("--batch must be at least 1"), batch.stderr)
    }

    /// A second learner was refused (`learnerPresent`) but printed "no welcome … reconnecting"
    /// forever; now it exits 1 naming the learner in place and the coordinator, within the
    /// dead-learner window (liveness × interval + 2 intervals = 1.4 s here).
    func testASecondLearnerExitsNamingTheFirst() throws {
        let config = try writeConfig(updates: 50)
        let endpoint = try startCoordinator(config)
        let first = try start(
            [
                "learner", "--config", config, "--connect", endpoint, "--run-dir",
                directory.appendingPathComponent("run1").path,
            ], log: "learner1")
        XCTAssertTrue(
            waitFor("the first learner's welcome", seconds: 60) { self.log("learner1").contains("welcomed") },
            log("learner1"))
        let second = try start(
            [
                "learner", "--config", config, "--connect", endpoint, "--run-dir",
                directory.appendingPathComponent("run2").path,
            ], log: "learner2")
        XCTAssertTrue(waitFor("the second learner to exit", seconds: 60) { !second.isRunning }, log("learner2"))
        XCTAssertEqual(second.terminationStatus, 1, log("learner2"))
        let pid = first.processIdentifier
        for part in ["another learner is already connected to the coordinator at \(endpoint)", ":\(pid))"] {
            XCTAssertTrue(log("learner2").contains(part), "'\(part)' missing: \(log("learner2"))")
        }
        XCTAssertTrue(first.isRunning, "the learner in place keeps running: \(log("learner1"))")
        print("second learner (exit \(second.terminationStatus)):\n\(log("learner2"))")
    }
}
