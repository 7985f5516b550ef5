import Console
import Foundation

/// Each child's output, line by line, into DIR/logs/NAME.log and to the progress line.
public final class ChildLogs {
    public let directory: String
    private let progress: ProgressLine
    private let lock = NSLock()
    private var files: [FileHandle] = []
    private var closed = false

    public init(directory: String, progress: ProgressLine) throws {
        self.directory = directory
        self.progress = progress
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw ShellError(PrintableText.escaped("cannot create \(directory): \(error.localizedDescription)"))
        }
    }

    public func path(_ name: String) -> String { "\(directory)/\(name).log" }

    /// Where child `name`'s lines go (called on a reading thread).
    public func sink(_ name: String) throws -> (String) -> Void {
        let file = path(name)
        guard FileManager.default.createFile(atPath: file, contents: nil),
            let handle = FileHandle(forWritingAtPath: file)
        else {
            throw ShellError(PrintableText.escaped("cannot write \(file)"))
        }
        lock.withLock { files.append(handle) }
        return { [self] line in
            // Lines still in a pipe when the run ends go nowhere rather than to a closed file.
            guard
                lock.withLock({
                    closed
                        ? false
                        : {
                            handle.write(Data((line + "\n").utf8)); return true
                        }()
                })
            else { return }
            progress.childLine(line)
        }
    }

    public func close() {
        lock.withLock {
            for f in files { f.closeFile() }
            files = []
            closed = true
        }
    }
}
