import Foundation

/// What a run of the real binary printed.
struct CLIResult {
    var status: Int32
    var stdout: String
    var stderr: String
    /// Both streams, for assertions that do not care where a message went.
    var all: String { stdout + stderr }
}

/// Runs the built `ccelim` with `arguments` in `cwd` (the package root by default).
func runCCElim(_ arguments: [String], cwd: URL = CLITests.root) throws -> CLIResult {
    try runProcess(CLITests.binary, arguments, cwd: cwd)
}

/// Runs `executable` to completion and captures its output.
func runProcess(
    _ executable: URL, _ arguments: [String], cwd: URL = CLITests.root, environment: [String: String]? = nil
) throws -> CLIResult {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.currentDirectoryURL = cwd
    if let environment { process.environment = environment }
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CLIResult(
        status: process.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
        stderr: String(decoding: e, as: UTF8.self))
}

/// Runs the built `ccelim` with `arguments`, sends it SIGINT (Ctrl-C) once its first line is out
/// on stderr (a long run's first status line: its handler is in place by then), and captures the
/// rest. Returns that first line and the whole run.
func runCCElimInterrupted(_ arguments: [String]) throws -> (firstLine: String, result: CLIResult) {
    let process = Process()
    process.executableURL = CLITests.binary
    process.arguments = arguments
    process.currentDirectoryURL = CLITests.root
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    var first = Data()
    while !first.contains(UInt8(ascii: "\n")) {
        let more = err.fileHandleForReading.availableData
        guard !more.isEmpty else { break }
        first.append(more)
    }
    process.interrupt()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let firstLine = String(decoding: first, as: UTF8.self)
    return (
        String(firstLine.prefix { $0 != "\n" }),
        CLIResult(
            status: process.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
            stderr: firstLine + String(decoding: e, as: UTF8.self))
    )
}

func parseJSONObject(_ text: String) throws -> [String: Any] {
    guard let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
        throw NSError(
            domain: "ccelim-tests", code: 1,
            userInfo: [NSLocalizedDescriptionKey: "not a JSON object: \(text.prefix(200))"])
    }
    return object
}

/// For test classes that are not CLITests: the same two helpers.
struct CLIRunner {
    func run(_ arguments: [String]) throws -> CLIResult { try runCCElim(arguments) }
    func jsonObject(_ text: String) throws -> [String: Any] { try parseJSONObject(text) }
}

/// An 8-vertex scalar program (Tests/Fixtures/chain.jaxpr, the one the PPO and checkpoint tests
/// train on), small enough that a debug build trains an update in well under a second. Copies it
/// as `chain.jaxpr` into `directory` and returns the path.
func writeChainJaxpr(in directory: URL) throws -> String {
    let path = directory.appendingPathComponent("chain.jaxpr").path
    try FileManager.default.copyItem(
        atPath: CLITests.root.appendingPathComponent("Tests/Fixtures/chain.jaxpr").path, toPath: path)
    return path
}
