import Console
import Foundation

/// The ccelim child processes of `ccelim train` and `ccelim worker`: started from this very
/// executable with `--parent-pid` (so they die with us), stopped with SIGTERM, then SIGKILL.
public final class ChildProcesses {
    public struct Child {
        public let name: String
        public let process: Process
    }

    public private(set) var children: [Child] = []

    public static var executable: URL { RunningExecutable.url }

    /// Runs this executable with `arguments` to the end: its exit status, stdout and stderr.
    public static func capture(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let p = Process()
        p.executableURL = executable
        p.arguments = arguments
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    /// `output`: each line the child prints (stdout and stderr), on a reading thread; without
    /// it the child's logs go straight to our stderr.
    @discardableResult
    public func start(
        _ name: String, _ arguments: [String], followParent: Bool = true, output: ((String) -> Void)? = nil
    ) throws -> Process {
        let p = Process()
        p.executableURL = Self.executable
        // Roles take --parent-pid; `ccelim train` (started by the benchmark) does not.
        p.arguments = arguments + (followParent ? ["--parent-pid", "\(getpid())"] : [])
        if let output {
            let pipe = Pipe()
            p.standardOutput = pipe
            p.standardError = pipe
            let lines = LineSplitter(output)
            pipe.fileHandleForReading.readabilityHandler = { handle in
                let data = handle.availableData
                if data.isEmpty {
                    handle.readabilityHandler = nil
                    lines.finish()
                } else {
                    lines.add(data)
                }
            }
        } else {
            // Logs go to our stderr; the children print nothing on stdout that a script should see.
            p.standardOutput = FileHandle.standardError
        }
        do {
            try p.run()
        } catch {
            throw ShellError(PrintableText.escaped("cannot start \(name): \(error)"))
        }
        children.append(Child(name: name, process: p))
        return p
    }

    public func signal(_ sig: Int32, where predicate: (Child) -> Bool = { _ in true }) {
        for c in children where c.process.isRunning && predicate(c) { kill(c.process.processIdentifier, sig) }
    }

    /// Waits until every child matching `predicate` exited, up to `seconds`; true when they all did.
    public func wait(seconds: Double, where predicate: (Child) -> Bool = { _ in true }) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if !children.contains(where: { predicate($0) && $0.process.isRunning }) { return true }
            usleep(20_000)
        }
        return !children.contains(where: { predicate($0) && $0.process.isRunning })
    }

    public init() {}

    /// SIGTERM, a grace period, then SIGKILL: nothing we started outlives us.
    public func stopAll(graceSeconds: Double = 10) {
        signal(SIGTERM)
        if !wait(seconds: graceSeconds) {
            signal(SIGKILL)
            _ = wait(seconds: 2)
        }
    }
}

/// Bytes from a pipe into whole lines (one reading thread at a time).
private final class LineSplitter: @unchecked Sendable {
    private let emit: (String) -> Void
    private var pending = Data()

    init(_ emit: @escaping (String) -> Void) {
        self.emit = emit
    }

    func add(_ data: Data) {
        pending.append(data)
        while let newline = pending.firstIndex(of: 10) {
            emit(String(decoding: pending[pending.startIndex..<newline], as: UTF8.self))
            pending = Data(pending[pending.index(after: newline)...])
        }
    }

    func finish() {
        if !pending.isEmpty { emit(String(decoding: pending, as: UTF8.self)) }
        pending = Data()
    }
}
