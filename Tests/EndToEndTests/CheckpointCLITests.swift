import Foundation
#if canImport(Glibc)
import Glibc
#endif
import XCTest

/// Checkpoints, resume, inspect and crash safety through the real `ccelim` binary.
final class CheckpointCLITests: XCTestCase {
    private var directory: URL!
    /// An 8-vertex program: small enough that a debug build trains an update in well under a second.
    private var task: String!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ccelim-e2e-ckpt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        task = try writeChainJaxpr(in: directory)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    typealias Result = CLIResult

    private func ccelim(_ arguments: [String]) throws -> Result { try runCCElim(arguments) }

    private func train(_ extra: [String]) throws -> Result {
        try ccelim(["train", "--solo", "--task", task, "--preset", "small", "--envs", "2", "--seed", "5"] + extra)
    }

    private func inspect(_ file: String, line: UInt = #line) throws -> [String: Any] {
        let r = try ccelim(["inspect", file, "--json"])
        XCTAssertEqual(r.status, 0, r.stderr, line: line)
        return try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any] ?? [:]
    }

    /// 4 updates straight equal 2 updates, stop, `--resume` with `--updates 4`: the same
    /// parameters and Adam moments (checksum over their bytes), counters and best order.
    func testResumeThroughTheBinaryContinuesBitExactly() throws {
        let straight = try train([
            "--updates", "4", "--run-dir", path("straight"), "--checkpoint-every", "1", "--keep-checkpoints", "2",
        ])
        XCTAssertEqual(straight.status, 0, straight.all)
        let first = try train(["--updates", "2", "--schedule-updates", "4", "--run-dir", path("split")])
        XCTAssertEqual(first.status, 0, first.all)
        XCTAssertEqual(try inspect(path("split/checkpoint.h5"))["updates"] as? Int, 2)
        // Task, network, seed and hyperparameters come from the checkpoint; only the graph file is named again.
        let noFile = try ccelim(["train", "--solo", "--resume", path("split/checkpoint.h5"), "--updates", "4"])
        XCTAssertNotEqual(noFile.status, 0)
        XCTAssertTrue(
            noFile.stderr.contains("the checkpoint trains 'chain', which is not a task in Datasets/"), noFile.stderr)
        let second = try ccelim([
            "train", "--solo", "--resume", path("split/checkpoint.h5"), "--task", task, "--updates", "4", "--json",
        ])
        XCTAssertEqual(second.status, 0, second.all)
        XCTAssertTrue(second.stderr.contains("resumed from \(path("split/checkpoint.h5")) at update 2"), second.stderr)

        let a = try inspect(path("straight/checkpoint.h5")), b = try inspect(path("split/checkpoint.h5"))
        for key in ["updates", "policy_version", "episodes", "steps", "adam_step", "checksum_fnv1a64"] {
            XCTAssertEqual("\(a[key] ?? "nil")", "\(b[key] ?? "nil")", key)
        }
        XCTAssertEqual(a["updates"] as? Int, 4)
        XCTAssertNotNil(a["best"] as? NSDictionary)
        XCTAssertEqual(a["best"] as? NSDictionary, b["best"] as? NSDictionary)
        XCTAssertNotNil((a["parameters"] as? [String: Any])?["policy.embed.weight"])
        // The resumed run appended to the same episode log: ids and updates continue.
        let log = try inspect(path("split/episodes.h5"))
        XCTAssertEqual(log["kind"] as? String, "episode_log")
        XCTAssertEqual(log["updates"] as? Int, 4)
        XCTAssertEqual(log["episodes"] as? Int, 8)
        // Checkpoint every update, two numbered kept, checkpoint.h5 beside them.
        let names = try FileManager.default.contentsOfDirectory(atPath: path("straight")).sorted()
        // The one run-folder layout (Docs/CHECKPOINT.md): also the lock, updates.jsonl and summary.json.
        XCTAssertEqual(
            names,
            [
                "checkpoint-000003.h5", "checkpoint-000004.h5", "checkpoint.h5", "episodes.h5", "lock", "summary.json",
                "updates.jsonl",
            ])
        let rows = try String(contentsOfFile: path("straight/updates.jsonl"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(rows.count, 4)
        let splitRows = try String(contentsOfFile: path("split/updates.jsonl"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(
            splitRows.map { $0.components(separatedBy: "weights_checksum").last?.prefix(22) ?? "" },
            rows.map { $0.components(separatedBy: "weights_checksum").last?.prefix(22) ?? "" },
            "a resumed run's updates.jsonl continues: each update once, the same weights")
        // Already at the total: nothing to run, nothing rewritten.
        let again = try ccelim([
            "train", "--solo", "--resume", path("split/checkpoint.h5"), "--task", task, "--updates", "4",
        ])
        XCTAssertEqual(again.status, 0, again.all)
        XCTAssertEqual(try inspect(path("split/episodes.h5"))["updates"] as? Int, 4)
    }

    func testResumeRefusesWhatDoesNotFit() throws {
        XCTAssertEqual(try train(["--updates", "1", "--run-dir", path("run")]).status, 0)
        let checkpoint = path("run/checkpoint.h5")

        let missing = try ccelim(["train", "--solo", "--resume", path("nowhere.h5")])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.stderr.contains("nowhere.h5': no such checkpoint file"), missing.stderr)

        let otherTask = try ccelim([
            "train", "--solo", "--resume", checkpoint, "--task", "PropaneCombustion", "--updates", "2",
        ])
        XCTAssertNotEqual(otherTask.status, 0)
        XCTAssertTrue(
            otherTask.stderr.contains("cannot resume from \(checkpoint)") && otherTask.stderr.contains("trains chain"),
            otherTask.stderr)

        let otherNetwork = try ccelim([
            "train", "--solo", "--resume", checkpoint, "--task", task, "--preset", "paper", "--updates", "2",
        ])
        XCTAssertNotEqual(otherNetwork.status, 0)
        XCTAssertTrue(otherNetwork.stderr.contains("network"), otherNetwork.stderr)

        let otherEnvs = try ccelim([
            "train", "--solo", "--resume", checkpoint, "--task", task, "--envs", "3", "--updates", "2",
        ])
        XCTAssertNotEqual(otherEnvs.status, 0)
        XCTAssertTrue(otherEnvs.stderr.contains("--envs 3 differs from the checkpoint's 2"), otherEnvs.stderr)

        let overwrite = try train(["--updates", "1", "--run-dir", path("run")])
        XCTAssertNotEqual(overwrite.status, 0)
        XCTAssertTrue(overwrite.stderr.contains("already exists"), overwrite.stderr)
    }

    /// A damaged checkpoint.h5 is refused, naming the file and the damage; only with
    /// --resume-fallback does the run continue from the newest intact numbered checkpoint.
    func testResumeFallbackOnlyWhenAsked() throws {
        XCTAssertEqual(
            try train([
                "--updates", "2", "--schedule-updates", "3", "--run-dir", path("run"), "--checkpoint-every", "1",
            ]).status, 0)
        let checkpoint = path("run/checkpoint.h5")
        // checkpoint.h5 and checkpoint-000002.h5 are one file (a hard link): truncating one truncates both.
        let handle = try XCTUnwrap(FileHandle(forUpdatingAtPath: checkpoint))
        try handle.truncate(atOffset: 4000)
        try handle.close()

        let refused = try ccelim(["train", "--solo", "--resume", checkpoint, "--task", task, "--updates", "3"])
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.stderr.contains("checkpoint.h5': the file is truncated"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("--resume-fallback"), refused.stderr)

        let fallback = try ccelim([
            "train", "--solo", "--resume", checkpoint, "--task", task, "--resume-fallback", "--updates", "3",
        ])
        XCTAssertEqual(fallback.status, 0, fallback.all)
        XCTAssertTrue(
            fallback.stdout.contains(
                "skipping checkpoint '\(path("run/checkpoint-000002.h5"))': the file is truncated"), fallback.stdout)
        XCTAssertTrue(
            fallback.stdout.contains("falling back to \(path("run/checkpoint-000001.h5")) (update 1)"), fallback.stdout)
        XCTAssertEqual(try inspect(checkpoint)["updates"] as? Int, 3)
        // The log was trimmed back to update 1 and continued: updates 1, 2, 3 once each.
        XCTAssertEqual(try inspect(path("run/episodes.h5"))["updates"] as? Int, 3)
    }

    func testInspectRefusesWhatIsNotOurs() throws {
        let notes = path("notes.h5")
        try "not hdf5".write(toFile: notes, atomically: true, encoding: .utf8)
        let r = try ccelim(["inspect", notes])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("notes.h5': not an HDF5 file"), r.stderr)
        let text = try ccelim(["inspect", path("missing.h5")])
        XCTAssertTrue(text.stderr.contains("no such file"), text.stderr)
    }

    /// A child writes checkpoints (and episode-log rows) in a loop; it is SIGKILLed at 30 random
    /// moments. After every kill the newest numbered checkpoint and checkpoint.h5 load intact
    /// (every checksum verified by `inspect`), hold the update their name says, and the episode
    /// log reopens and continues.
    func testCheckpointsSurviveSIGKILLAtRandomMoments() throws {
        let run = path("crash")
        var rng = SystemRandomNumberGenerator()
        var newest = 0
        for kill in 0..<30 {
            let process = Process()
            process.executableURL = CLITests.binary
            process.arguments = ["debug", "write-checkpoints", "--dir", run, "--log", "--keep", "3"]
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            try process.run()
            // Block until it has written at least one checkpoint, then let it run a random while.
            var seen = Data()
            while !seen.contains(UInt8(ascii: "\n")) {
                let chunk = out.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                seen.append(chunk)
            }
            XCTAssertTrue(
                String(decoding: seen, as: UTF8.self).hasPrefix("wrote "), "kill \(kill): the writer did not start")
            usleep(UInt32.random(in: 0...40_000, using: &rng))
            Glibc.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            XCTAssertEqual(process.terminationReason, .uncaughtSignal)

            let numbered = try FileManager.default.contentsOfDirectory(atPath: run)
                .compactMap { name -> Int? in
                    guard name.hasPrefix("checkpoint-"), name.hasSuffix(".h5") else { return nil }
                    return Int(name.dropFirst(11).dropLast(3))
                }.sorted()
            let last = try XCTUnwrap(numbered.last, "kill \(kill): no numbered checkpoint on disk")
            XCTAssertGreaterThan(last, newest, "kill \(kill): no progress")
            XCTAssertLessThanOrEqual(numbered.count, 4, "kill \(kill): pruning fell behind: \(numbered)")
            newest = last
            let file = run + "/checkpoint-" + String(format: "%06d", last) + ".h5"
            let info = try inspect(file)
            XCTAssertEqual(info["updates"] as? Int, last, "kill \(kill)")
            XCTAssertEqual(((info["best"] as? [String: Any])?["synthetic"] as? [String: Any])?["cost"] as? Int, last)
            let latest = try inspect(run + "/checkpoint.h5")["updates"] as? Int ?? -1
            XCTAssertTrue(
                latest == last || latest == last - 1,
                "kill \(kill): checkpoint.h5 holds update \(latest), newest numbered \(last)")
            // The log is written before each checkpoint and trimmed back to it on restart, so it
            // holds updates 1, 2, … once each, at least up to the checkpoint.
            // A kill between an update's rows and its commit leaves uncommitted rows, which
            // inspect reports (exit 1); the committed rows must still be whole.
            let logCheck = try ccelim(["inspect", run + "/episodes.h5", "--json"])
            let log = try parseJSONObject(logCheck.stdout)
            XCTAssertTrue(
                logCheck.status == 0
                    || (log["problems"] as? [String] ?? []).allSatisfy { $0.contains("never committed") },
                "kill \(kill): \(logCheck.all)")
            let rows = log["updates"] as? Int ?? -1
            XCTAssertGreaterThanOrEqual(rows, last, "kill \(kill): \(log)")
            XCTAssertEqual(
                (log["last_update"] as? [String: Any])?["update"] as? Int, rows,
                "kill \(kill): update numbers skip or repeat: \(log)")
            XCTAssertEqual(log["episodes"] as? Int, 4 * rows, "kill \(kill): \(log)")
        }
        print("30 kills: the newest checkpoint reached update \(newest)")
    }

    /// Ops/plot-training.py reads a run's episodes.h5 with h5py and writes a PNG.
    func testPlotScriptDrawsATinyRun() throws {
        let probe = try? runPython(["-c", "import h5py, matplotlib"])
        guard let probe, probe.status == 0 else { throw XCTSkip("python3 with h5py and matplotlib is not available") }
        XCTAssertEqual(try train(["--updates", "2", "--run-dir", path("plot")]).status, 0)
        let png = path("curve.png")
        let r = try runPython([CLITests.root.appendingPathComponent("Ops/plot-training.py").path, path("plot"), png])
        XCTAssertEqual(r.status, 0, r.stderr)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: png))
        XCTAssertGreaterThan(bytes.count, 1000)
        XCTAssertEqual(Array(bytes.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "not a PNG")
        XCTAssertTrue(r.stdout.contains("4 episodes, 2 updates"), r.stdout)
    }

    private func runPython(_ arguments: [String]) throws -> Result {
        try runProcess(
            URL(fileURLWithPath: "/usr/bin/env"), ["python3"] + arguments,
            environment: ProcessInfo.processInfo.environment.merging(["MPLBACKEND": "Agg"]) { $1 })
    }
}
