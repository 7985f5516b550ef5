import Foundation

/// What a run of the real binary printed.
struct CLIResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs the built `ccelim` with `arguments` in `cwd` (the package root by default).
func runCCElim(_ arguments: [String], cwd: URL = CLITests.root) throws -> CLIResult {
    let process = Process()
    process.executableURL = CLITests.binary
    process.arguments = arguments
    process.currentDirectoryURL = cwd
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CLIResult(status: process.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
}

func parseJSONObject(_ text: String) throws -> [String: Any] {
    guard let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
        throw NSError(domain: "ccelim-tests", code: 1, userInfo: [NSLocalizedDescriptionKey: "not a JSON object: \(text.prefix(200))"])
    }
    return object
}

/// For test classes that are not CLITests: the same two helpers.
struct CLIRunner {
    func run(_ arguments: [String]) throws -> CLIResult { try runCCElim(arguments) }
    func jsonObject(_ text: String) throws -> [String: Any] { try parseJSONObject(text) }
}

/// An 8-vertex scalar program, small enough that a debug build trains an update in well under a
/// second. Writes it as `chain.jaxpr` in `directory` and returns the path.
func writeChainJaxpr(in directory: URL) throws -> String {
    let path = directory.appendingPathComponent("chain.jaxpr").path
    try """
    { lambda ; a:f32[] b:f32[] c:f32[]. let
        d:f32[] = mul a b
        e:f32[] = sin d
        f:f32[] = mul e c
        g:f32[] = add f a
        h:f32[] = cos g
        i:f32[] = mul h b
        j:f32[] = add i c
        k:f32[] = mul j j
      in (k, f) }
    """.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}
