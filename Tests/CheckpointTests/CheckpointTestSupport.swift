import Foundation
import XCTest
import Elimination
import NeuralNet
import PPO
import TestFixtures
@testable import Checkpoint

/// A fresh temporary directory per test.
class CheckpointTestCase: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ccelim-ckpt-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    func path(_ name: String) -> String {
        directory.appendingPathComponent(name).path
    }

    /// Runs `body`, requires a CheckpointError of `kind` whose text names the file, returns it.
    @discardableResult
    func assertRefused<R>(
        _ kind: CheckpointError.Kind, _ file: String, line: UInt = #line, _ body: () throws -> R
    ) -> CheckpointError? {
        do {
            _ = try body()
            XCTFail("expected CheckpointError.\(kind) for \(file), the read succeeded", line: line)
        } catch let error as CheckpointError {
            XCTAssertEqual(error.kind, kind, "\(error)", line: line)
            XCTAssertTrue(error.description.contains(file), "the message must name the file: \(error)", line: line)
            return error
        } catch {
            XCTFail("expected CheckpointError.\(kind), got \(type(of: error)): \(error)", line: line)
        }
        return nil
    }
}

enum Fixtures {
    /// The shared tiny network, PPO settings and chain program (Tests/TestFixtures).
    static let tiny = TestFixtures.tinyNetwork

    static func hyperparameters(envs: Int = 4) -> Hyperparameters { TestFixtures.tinyHyperparameters(envs: envs) }

    static func chain(name: String = "chain") throws -> ComputationalGraph { try TestFixtures.chain(name: name) }

    static func trainer(seed: UInt64 = 7) throws -> SoloRun {
        let t = try SoloRun(graph: try chain(), network: tiny, hp: hyperparameters(), seed: seed)
        t.trainer.configText = "task = chain\nseed = \(seed)\nnote = ünïcode ✓"
        return t
    }

    /// A trainer after `updates` updates, and its snapshot.
    static func trained(updates: Int, seed: UInt64 = 7) throws -> (SoloRun, TrainerSnapshot) {
        let t = try trainer(seed: seed)
        for _ in 0..<updates { _ = try t.runUpdate() }
        return (t, t.snapshot())
    }
}

/// Runs `python3 -c script args…` to completion; skips the test when h5py is not importable.
enum Python {
    static func requireH5py() throws {
        let probe = try run("import h5py", [])
        if probe.status != 0 { throw XCTSkip("h5py is not importable by python3: \(probe.stderr)") }
    }

    static func run(_ script: String, _ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        do { try process.run() } catch { throw XCTSkip("python3 not runnable: \(error)") }
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    /// Runs a script that prints one JSON object; fails the test on a non-zero exit.
    static func json(_ script: String, _ arguments: [String], line: UInt = #line) throws -> [String: Any] {
        let r = try run(script, arguments)
        XCTAssertEqual(r.status, 0, r.stderr, line: line)
        guard r.status == 0, let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        else {
            throw XCTSkip("python failed: \(r.stderr)")
        }
        return object
    }
}
