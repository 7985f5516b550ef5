import Foundation
import XCTest

/// Skips the calling test unless `python3 -c "import h5py"` works.
func requireH5py() throws {
    let probe = Process()
    probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    probe.arguments = ["python3", "-c", "import h5py"]
    probe.standardOutput = FileHandle.nullDevice
    probe.standardError = FileHandle.nullDevice
    do {
        try probe.run()
        probe.waitUntilExit()
    } catch {
        throw XCTSkip("python3 not runnable: \(error)")
    }
    if probe.terminationStatus != 0 { throw XCTSkip("h5py is not importable by python3") }
}

/// A python3 child talking line by line over pipes: the test writes a line, blocks reading the
/// answer. Blocking reads make the ordering explicit, so no test sleeps.
final class PythonProcess {
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private let errors = Pipe()
    private var pending = Data()

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    init(script: String, arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
    }

    func writeLine(_ line: String) throws {
        try input.fileHandleForWriting.write(contentsOf: Data((line + "\n").utf8))
    }

    func closeInput() throws {
        try input.fileHandleForWriting.close()
    }

    func readLine() throws -> String {
        while true {
            if let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                pending = Data(pending[(newline + 1)...])
                return line
            }
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty {
                process.waitUntilExit()
                throw Failure(
                    description: "python exited (\(process.terminationStatus)) before answering: \(errorOutput())")
            }
            pending.append(chunk)
        }
    }

    func wait() throws -> Int32 {
        process.waitUntilExit()
        return process.terminationStatus
    }

    func errorOutput() -> String {
        if process.isRunning { return "" }
        return String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    }

    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }
}
