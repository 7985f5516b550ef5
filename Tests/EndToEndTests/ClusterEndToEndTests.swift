import Foundation
import Wire
import XCTest
import ZeroMQ

/// The real binary as a cluster on 127.0.0.1, on tiny settings (PropaneCombustion, small preset,
/// 4 episodes per update, one epoch): each test starts its own coordinator on a free port.
final class ClusterEndToEndTests: ClusterTestCase {
    func testKilledWorkerIsDeclaredDeadAndARestartedOneRejoins() throws {
        let config = try writeConfig(updates: 3)
        let endpoint = try startCoordinator(config)
        let learner = try start(
            [
                "learner", "--config", config, "--connect", endpoint, "--run-dir",
                directory.appendingPathComponent("run").path,
            ], log: "learner")
        try start(["worker", "--config", config, "--connect", endpoint, "--actors", "1"], log: "worker-a")
        let doomed = try start(["actor", "--config", config, "--connect", endpoint, "--index", "7"], log: "doomed")
        XCTAssertTrue(
            waitFor("two actors registered", seconds: 30) {
                log("coordinator").components(separatedBy: "registered").count - 1 >= 3
            })
        let killedAt = Date()
        kill(doomed.processIdentifier, SIGKILL)
        XCTAssertTrue(
            waitFor("the dead actor to be declared dead", seconds: 10) { log("coordinator").contains("declared dead") },
            log("coordinator"))
        let detection = Date().timeIntervalSince(killedAt)
        XCTAssertLessThan(detection, 0.2 * 5 + 1.5, "heartbeat timeout is 1 s here")
        try start(["worker", "--config", config, "--connect", endpoint, "--actors", "1"], log: "worker-b")
        XCTAssertTrue(
            waitFor("the restarted worker to rejoin", seconds: 30) {
                log("coordinator").components(separatedBy: "registered").count - 1 >= 4
            })
        XCTAssertTrue(
            waitFor("training to finish without the dead actor", seconds: 60) { !learner.isRunning }, log("learner"))
        XCTAssertEqual(learner.terminationStatus, 0, log("learner"))
        XCTAssertTrue(log("learner").contains("update 3 v3"), log("learner"))
    }

    /// Distributed gradients with a helper that stops answering: the actor is frozen (SIGSTOP)
    /// after it has played, so the next round gives it a shard it never computes; the coordinator
    /// declares it dead, tells the learner, and the learner computes that shard itself.
    func testAFrozenHelpersShardIsComputedByTheLearner() throws {
        // Every actor heard from helps (the sized default may leave the frozen one out).
        let config = try writeConfig(
            updates: 4, epochs: 2, minibatches: 2, extra: "max_queued_episodes = 8\nsize_helpers = false")
        let endpoint = try startCoordinator(config)
        let learner = try start(
            [
                "learner", "--config", config, "--connect", endpoint, "--run-dir",
                directory.appendingPathComponent("run").path,
            ], log: "learner")
        try start(["actor", "--config", config, "--connect", endpoint, "--index", "0"], log: "steady")
        let frozen = try start(["actor", "--config", config, "--connect", endpoint, "--index", "1"], log: "frozen")
        defer { kill(frozen.processIdentifier, SIGKILL) }
        XCTAssertTrue(
            waitFor("the first update", seconds: 60) { self.log("learner").contains("update 1 v1") }, log("learner"))
        kill(frozen.processIdentifier, SIGSTOP)
        XCTAssertTrue(
            waitFor("training to finish without the frozen actor", seconds: 90) { !learner.isRunning }, log("learner"))
        XCTAssertEqual(learner.terminationStatus, 0, log("learner"))
        let text = log("learner")
        XCTAssertTrue(text.contains("update 4 v4"), text)
        XCTAssertTrue(text.contains("shard here"), "the frozen actor's shard was taken over:\n\(text)")
    }

    func testKilledLearnerResumesFromItsLastCheckpoint() throws {
        let config = try writeConfig(updates: 4, extra: "checkpoint_every = 1")
        let endpoint = try startCoordinator(config)
        let run = directory.appendingPathComponent("run").path
        let first = try start(
            ["learner", "--config", config, "--connect", endpoint, "--run-dir", run], log: "learner1")
        try start(["worker", "--config", config, "--connect", endpoint, "--actors", "1"], log: "worker")
        XCTAssertTrue(waitFor("a checkpoint", seconds: 40) { self.log("learner1").contains("checkpoint ") })
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        let checkpoint = "\(run)/checkpoint.h5"
        XCTAssertTrue(FileManager.default.fileExists(atPath: checkpoint))
        // Issue 12: a fresh learner (no --resume) on the folder used to reset episodes.h5 and
        // updates.jsonl to update 0; it is refused like `train --solo`, and the files are untouched.
        let updatesBefore = try String(contentsOfFile: "\(run)/updates.jsonl", encoding: .utf8)
        let fresh = try runCLI(["learner", "--config", config, "--connect", endpoint, "--run-dir", run])
        XCTAssertNotEqual(fresh.status, 0)
        XCTAssertTrue(
            fresh.stderr.contains("already exists") && fresh.stderr.contains("--resume \(checkpoint)"), fresh.stderr)
        XCTAssertEqual(try String(contentsOfFile: "\(run)/updates.jsonl", encoding: .utf8), updatesBefore)
        let resumedAt = Date()
        let second = try start(
            ["learner", "--config", config, "--connect", endpoint, "--resume", checkpoint], log: "learner2")
        XCTAssertTrue(waitFor("the resumed learner to finish", seconds: 60) { !second.isRunning }, log("learner2"))
        XCTAssertEqual(second.terminationStatus, 0, log("learner2"))
        let text = log("learner2")
        let resumedUpdate = try XCTUnwrap(
            text.range(of: #"resumed from .*: update (\d+)"#, options: .regularExpression)
                .map { Int(text[$0].split(separator: " ").last!)! })
        XCTAssertGreaterThanOrEqual(resumedUpdate, 1)
        XCTAssertTrue(text.contains("update \(resumedUpdate + 1) v"), "continues with the next update:\n\(text)")
        XCTAssertFalse(text.contains("update 1 v"), "never starts over:\n\(text)")
        let summary = try jsonObject(try String(contentsOfFile: "\(run)/summary.json", encoding: .utf8))
        XCTAssertEqual(summary["updates"] as? Int, 4)
        print("resume to first update: \(Date().timeIntervalSince(resumedAt)) s (until the resumed learner exited)")
    }

    /// A learner whose log reader went away (its stderr a pipe nobody reads: `… 2>&1 | head`, or
    /// the SIGKILLed `ccelim train` that relayed its lines) trains to the end: the lines are
    /// dropped. Before, `FileHandle.write` trapped on EPIPE at the first line (roles ignore
    /// SIGPIPE), so the learner died with training unfinished.
    func testALearnerWhoseLogReaderIsGoneTrainsToTheEnd() throws {
        let config = try writeConfig(updates: 3)
        let endpoint = try startCoordinator(config)
        let run = directory.appendingPathComponent("run").path
        var ends: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&ends), 0)
        close(ends[0])  // closed before the learner starts: no reader, every write fails with EPIPE
        let learner = Process()
        learner.executableURL = CLITests.binary
        learner.arguments = ["learner", "--config", config, "--connect", endpoint, "--run-dir", run]
        learner.currentDirectoryURL = CLITests.root
        learner.standardError = FileHandle(fileDescriptor: ends[1], closeOnDealloc: true)
        learner.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        try learner.run()
        started.append(learner)
        try start(["worker", "--config", config, "--connect", endpoint, "--actors", "1"], log: "worker")
        XCTAssertTrue(waitFor("the learner to finish", seconds: 90) { !learner.isRunning })
        XCTAssertEqual(learner.terminationReason, .exit, "the learner died of a signal")
        XCTAssertEqual(learner.terminationStatus, 0)
        let summary = try jsonObject(try String(contentsOfFile: "\(run)/summary.json", encoding: .utf8))
        XCTAssertEqual(summary["updates"] as? Int, 3)
    }

    func testGarbageFramesLeaveTheCoordinatorServing() throws {
        let config = try writeConfig(extra: "", curve: "[security]\nmax_message_bytes = 65536")
        let endpoint = try startCoordinator(config)
        let context = try ZMQContext()
        let hostile = try ZMQSocket(context, .dealer)
        try hostile.connect(endpoint)
        var state: UInt64 = 99
        func byte() -> UInt8 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
        let hello = Wire.encode(.hello(Hello(role: .actor, host: "h", pid: 1, cores: 1, actorIndex: 0)))
        var wrongVersion = hello
        wrongVersion[0][4] = 9
        for i in 0..<3000 {
            let frames: [[UInt8]]
            switch i % 5 {
            case 0: frames = [(0..<(i % 40)).map { _ in byte() }]  // garbage
            case 1: frames = [hello[0], Array(hello[1].prefix(i % hello[1].count))]  // truncated
            case 2: frames = wrongVersion  // another protocol version
            case 3: frames = Array(repeating: hello[0], count: 20)  // too many frames
            default: frames = [hello[0], hello[1] + [1, 2, 3]]  // trailing bytes
            }
            XCTAssertTrue(try hostile.send(frames))
        }
        // A frame above ZMQ_MAXMSGSIZE: libzmq drops that connection, not the coordinator.
        let big = try ZMQSocket(context, .dealer)
        try big.connect(endpoint)
        try big.send([[UInt8](repeating: 7, count: 200_000)])
        XCTAssertTrue(
            waitFor("the coordinator to refuse them all", seconds: 30) {
                self.log("coordinator").contains("refused so far")
                    && (try? self.runCLI(["status", "--connect", endpoint, "--json", "--config", config]).status) == 0
            })
        let status = try runCLI(["status", "--connect", endpoint, "--json", "--config", config])
        XCTAssertEqual(status.status, 0, status.stderr)
        XCTAssertTrue(
            log("coordinator").contains("unsupported") || log("coordinator").contains("version 9"), log("coordinator"))
        // Every one of them was answered with an error, none registered a peer.
        var replies = 0
        var poller = ZMQPoller()
        poller.register(hostile)
        while try !poller.poll(timeoutMilliseconds: 2000).isEmpty {
            while let frames = try hostile.receive(flags: .dontWait) {
                if case .error = try Wire.decode(frames: frames) { replies += 1 }
            }
            if replies >= 2400 { break }
        }
        XCTAssertEqual(
            replies, 2400, "all but the 600 over-long messages (dropped by the receiver) are answered with error")
        XCTAssertEqual(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? NSDictionary != nil, true)
    }

    func testUnauthorisedCurveKeyIsRefused() throws {
        let keys = directory.appendingPathComponent("keys").path
        try FileManager.default.createDirectory(atPath: keys, withIntermediateDirectories: true)
        func generate(_ name: String) throws -> String {
            let r = try runCLI(["keys", "generate", "-o", "\(keys)/\(name)"])
            XCTAssertEqual(r.status, 0, r.stderr)
            return r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let serverPublic = try generate("server"), goodPublic = try generate("good")
        _ = try generate("bad")
        try (goodPublic + "\n").write(toFile: "\(keys)/allowed", atomically: true, encoding: .utf8)
        func security(_ client: String) -> String {
            """
            [security]
            curve = true
            server_secret_key_file = "\(keys)/server"
            allowed_keys_file = "\(keys)/allowed"
            client_key_file = "\(keys)/\(client)"
            server_public_key = "\(serverPublic)"
            """
        }
        let goodConfig = try writeConfig(curve: security("good"))
        let endpoint = try startCoordinator(goodConfig)
        XCTAssertEqual(try runCLI(["status", "--connect", endpoint, "--config", goodConfig]).status, 0)
        let badConfig = directory.appendingPathComponent("bad.toml").path
        try (try String(contentsOfFile: goodConfig, encoding: .utf8)).replacingOccurrences(
            of: "\(keys)/good", with: "\(keys)/bad"
        )
        .write(toFile: badConfig, atomically: true, encoding: .utf8)
        let refused = try runCLI(["status", "--connect", endpoint, "--config", badConfig])
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.stderr.contains("no status reply"), refused.stderr)
        XCTAssertTrue(
            waitFor("the refusal in the log", seconds: 5) { log("coordinator").contains("key not on the allow-list") })
        XCTAssertEqual(
            try runCLI(["status", "--connect", endpoint, "--config", goodConfig]).status, 0, "still serving")
    }
}
