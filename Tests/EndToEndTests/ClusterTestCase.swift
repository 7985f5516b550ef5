import Foundation
import Wire
import XCTest
import ZeroMQ

/// Fixtures for tests of the real binary as a cluster on 127.0.0.1, on tiny settings (PropaneCombustion, small preset,
/// 4 episodes per update, one epoch): each test starts its own coordinator on a free port.
class ClusterTestCase: XCTestCase {
    var directory: URL!
    var started: [Process] = []

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("ccelim-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDown() {
        for p in started where p.isRunning { kill(p.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(at: directory)
    }

    func writeConfig(
        updates: Int = 2, epochs: Int = 1, minibatches: Int = 1, extra: String = "", curve: String = ""
    ) throws -> String {
        let text = """
            [run]
            tasks = ["PropaneCombustion"]
            datasets = "\(CLITests.root.path)/Datasets"
            runs_directory = "\(directory.path)/runs"
            [learner]
            num_envs = 4
            update_epochs = \(epochs)
            num_minibatches = \(minibatches)
            updates = \(updates)
            \(extra)
            [actors]
            envs_per_actor = 4
            [heartbeat]
            interval_ms = 200
            liveness = 5
            \(curve)
            """
        let path = directory.appendingPathComponent("cluster.toml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Starts a role; its stderr goes to a file the test can read.
    @discardableResult
    func start(_ arguments: [String], log name: String) throws -> Process {
        let p = Process()
        p.executableURL = CLITests.binary
        p.arguments = arguments
        p.currentDirectoryURL = CLITests.root
        XCTAssertTrue(FileManager.default.createFile(atPath: logPath(name), contents: nil))
        p.standardError = FileHandle(forWritingAtPath: logPath(name))
        p.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        try p.run()
        started.append(p)
        return p
    }

    /// Runs ccelim to completion, capturing both streams.
    func runCLI(_ arguments: [String]) throws -> CLITests.Result {
        try runCCElim(arguments)
    }

    func jsonObject(_ text: String) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    func logPath(_ name: String) -> String { directory.appendingPathComponent("\(name).log").path }
    func log(_ name: String) -> String { (try? String(contentsOfFile: logPath(name), encoding: .utf8)) ?? "" }

    /// Bounded wait on a real process's observable effect (never a blind sleep).
    func waitFor(_ what: String, seconds: Double, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            usleep(50_000)
        }
        XCTFail("timed out after \(seconds) s waiting for \(what)")
        return false
    }

    func startCoordinator(_ config: String, _ extra: [String] = []) throws -> String {
        let endpointFile = directory.appendingPathComponent("endpoint").path
        try start(
            ["coordinator", "--config", config, "--bind", "tcp://127.0.0.1:0", "--endpoint-file", endpointFile] + extra,
            log: "coordinator")
        var endpoint = ""
        _ = waitFor("the coordinator's endpoint", seconds: 20) {
            endpoint = ((try? String(contentsOfFile: endpointFile, encoding: .utf8)) ?? "").trimmingCharacters(
                in: .whitespacesAndNewlines)
            return !endpoint.isEmpty
        }
        return endpoint
    }

    /// Live processes whose command line mentions `text` (the run folder is in every child's).
    static func processes(mentioning text: String) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { pid in
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
            let status = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
            // Zombies already exited; only a parent's wait is missing.
            if status.contains(") Z ") { return false }
            return String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self).contains(text)
        }
    }
}
