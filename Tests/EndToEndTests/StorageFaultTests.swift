import Foundation
import XCTest
import TestFixtures

/// Storage faults through the real binary (issue 12, findings 1 and 5): a full disk stops
/// training with one line and a non-zero exit (before: an HDF5 error chain, then SIGSEGV), keeps
/// the last checkpoint, and `--resume` works once there is space; a torn log fails `inspect`
/// (before: reported as fine); a damaged superblock fails at once (before: over 300 s).
final class StorageFaultTests: XCTestCase {
    private var directory: URL!
    private var task: String!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ccelim-e2e-storage-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        task = try writeChainJaxpr(in: directory)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    private func train(_ extra: [String]) throws -> CLIResult {
        try runCCElim(
            [
                "train", "--solo", "--task", task, "--preset", "small", "--envs", "2", "--seed", "5",
                "--checkpoint-every", "1",
            ] + extra)
    }

    private func inspectJSON(_ file: String, line: UInt = #line) throws -> [String: Any] {
        let r = try runCCElim(["inspect", file, "--json"])
        XCTAssertEqual(r.status, 0, r.stderr, line: line)
        return try parseJSONObject(r.stdout)
    }

    /// Exit status 1 (not a signal, which Process reports as the signal number with reason
    /// .uncaughtSignal) and exactly one error line that names `file` and says `reason`.
    private func assertOneLineError(_ r: CLIResult, naming file: String, _ reason: String, line: UInt = #line) {
        XCTAssertEqual(r.status, 1, r.stderr, line: line)
        let errors = r.stderr.split(separator: "\n").filter { $0.hasPrefix("Error: ") }
        XCTAssertEqual(errors.count, 1, r.stderr, line: line)
        XCTAssertTrue(errors.first?.contains(file) ?? false, "names the file: \(r.stderr)", line: line)
        XCTAssertTrue(errors.first?.contains(reason) ?? false, "says '\(reason)': \(r.stderr)", line: line)
        for noise in ["H5", " <- ", "Signal", "crashed"] {
            XCTAssertFalse(r.stderr.contains(noise), "no HDF5 stack, no crash report: \(r.stderr)", line: line)
        }
    }

    func testFullDiskStopsTrainingCleanlyAndResumeWorksOnceThereIsSpace() throws {
        guard let disk = try SmallDisk.mount(kilobytes: 2048) else { throw XCTSkip(SmallDisk.skipReason) }
        defer { disk.unmount() }
        let run = disk.path + "/run"
        let first = try train(["--updates", "1", "--run-dir", run])
        XCTAssertEqual(first.status, 0, first.all)
        // Room for the resumed run's copy of the episode log and an update's rows, not for a checkpoint.
        let checkpointSize = try XCTUnwrap(
            FileManager.default.attributesOfItem(atPath: run + "/checkpoint.h5")[.size] as? Int)
        try disk.fill(leaving: checkpointSize / 2)

        let full = try runCCElim([
            "train", "--solo", "--resume", run + "/checkpoint.h5", "--task", task, "--updates", "3",
            "--checkpoint-every", "1",
        ])
        assertOneLineError(full, naming: run, "no space left on device")
        XCTAssertEqual(
            try inspectJSON(run + "/checkpoint.h5")["updates"] as? Int, 1, "the last good checkpoint is intact")
        let names = try FileManager.default.contentsOfDirectory(atPath: run).sorted()
        XCTAssertEqual(
            names, ["checkpoint-000001.h5", "checkpoint.h5", "episodes.h5", "lock", "summary.json", "updates.jsonl"],
            "no temporary files left")

        disk.free()
        let again = try runCCElim([
            "train", "--solo", "--resume", run + "/checkpoint.h5", "--task", task, "--updates", "3",
            "--checkpoint-every", "1",
        ])
        XCTAssertEqual(again.status, 0, again.all)
        XCTAssertEqual(try inspectJSON(run + "/checkpoint.h5")["updates"] as? Int, 3)
        let log = try inspectJSON(run + "/episodes.h5")
        XCTAssertEqual(log["updates"] as? Int, 3)
        XCTAssertEqual(log["damaged"] as? Bool, false)
    }

    /// h5py appends a zero-filled update row and episode row, as a writer that died mid-update
    /// leaves them; `inspect` must call the log damaged and say what is wrong.
    func testInspectReportsUncommittedZeroRows() throws {
        let probe = try runProcess(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", "import h5py"])
        guard probe.status == 0 else { throw XCTSkip("needs python3 with h5py (Ops/python-requirements.txt)") }
        let run = path("run")
        XCTAssertEqual(try train(["--updates", "2", "--run-dir", run]).status, 0)
        let log = run + "/episodes.h5"
        XCTAssertEqual(try inspectJSON(log)["damaged"] as? Bool, false)
        let tear = """
            import h5py, sys
            with h5py.File(sys.argv[1], "r+") as f:
                for name in ("updates", "episodes"):
                    f[name].resize((f[name].shape[0] + 1,))
            """
        let torn = try runProcess(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", tear, log])
        XCTAssertEqual(torn.status, 0, torn.all)
        let r = try runCCElim(["inspect", log])
        assertOneLineError(
            r, naming: log,
            "is damaged: 1 update rows, 1 episode rows and 0 order values were written after the last committed update 2 but never committed"
        )
        XCTAssertTrue(r.stdout.contains("committed: episodes 4, updates 2"), r.stdout)
    }

    func testDamagedSuperblockIsRefusedAtOnce() throws {
        let run = path("run")
        XCTAssertEqual(try train(["--updates", "1", "--run-dir", run]).status, 0)
        for name in ["checkpoint.h5", "episodes.h5"] {
            var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: run + "/" + name)))
            bytes[20] ^= 0xff  // inside the superblock's base address, covered by its checksum
            let damaged = path("damaged-" + name)
            try Data(bytes).write(to: URL(fileURLWithPath: damaged))
            var commands = [["inspect", damaged]]
            if name == "checkpoint.h5" {
                commands.append(["train", "--solo", "--resume", damaged, "--task", task, "--updates", "2"])
            }
            for command in commands {
                let start = Date()
                let r = try runCCElim(command)
                let elapsed = Date().timeIntervalSince(start)
                print(
                    "\(command[0]) of \(name) with a damaged superblock: exit \(r.status) in \(String(format: "%.2f", elapsed)) s"
                )
                assertOneLineError(r, naming: damaged, "the HDF5 superblock is damaged")
                XCTAssertLessThan(elapsed, 5)
            }
        }
    }
}
