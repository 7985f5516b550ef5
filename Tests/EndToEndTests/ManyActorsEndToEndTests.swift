import Foundation
import XCTest

/// Many real actor processes against one coordinator (issue 18): `ccelim train` with 16 actors,
/// one distributed update of 16 episodes (one per actor batch), on loopback and tiny settings.
final class ManyActorsEndToEndTests: ClusterTestCase {
    func testSixteenActorProcessesRegisterAndOneUpdateFinishes() throws {
        let text = """
            [run]
            tasks = ["PropaneCombustion"]
            datasets = "\(CLITests.root.path)/Datasets"
            runs_directory = "\(directory.path)/runs"
            [learner]
            num_envs = 16
            update_epochs = 1
            num_minibatches = 1
            updates = 1
            [actors]
            envs_per_actor = 1
            [heartbeat]
            interval_ms = 500
            liveness = 10
            """
        let config = directory.appendingPathComponent("cluster.toml").path
        try text.write(toFile: config, atomically: true, encoding: .utf8)
        let run = directory.appendingPathComponent("run").path
        let r = try runCLI([
            "train", "--config", config, "--actors", "16", "--updates", "1", "--run-dir", run, "--json",
        ])
        XCTAssertEqual(r.status, 0, r.stderr)
        let o = try jsonObject(r.stdout.split(separator: "\n").last.map(String.init) ?? "")
        XCTAssertEqual(o["actors"] as? Int, 16)
        XCTAssertEqual(o["updates"] as? Int, 1)
        XCTAssertEqual(o["episodes"] as? Int, 16)
        // Every one of the 16 processes registered with the coordinator, under its own id.
        let coordinatorLog = try String(contentsOfFile: "\(run)/logs/coordinator.log", encoding: .utf8)
        let registered = Set(
            coordinatorLog.split(separator: "\n").filter {
                $0.hasPrefix("coordinator: actor ") && $0.contains(" registered (")
            }
            .compactMap { $0.split(separator: " ").dropFirst(2).first })
        XCTAssertEqual(registered, Set((1...16).map { Substring(String($0)) }), coordinatorLog)
        // No actor was lost while the run lasted: until the learner is gone (its update done, its
        // goodbye racing the shutdown), no actor is declared dead. At shutdown `ccelim train`
        // stops the actors, and one stopped before its goodbye went out is declared dead then.
        let lines = coordinatorLog.split(separator: "\n")
        let runEnd =
            lines.firstIndex {
                $0.hasPrefix("coordinator: learner ") && ($0.contains(" left") || $0.contains("declared dead"))
            } ?? lines.endIndex
        XCTAssertLessThan(runEnd, lines.endIndex, "the learner's end is in the log: \(coordinatorLog)")
        XCTAssertFalse(
            lines[..<runEnd].contains { $0.hasPrefix("coordinator: actor ") && $0.contains("declared dead") },
            coordinatorLog)
        XCTAssertEqual(ClusterTestCase.processes(mentioning: run), [], "no ccelim child outlives `ccelim train`")
    }
}
