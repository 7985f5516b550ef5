/// A task, graph, order or best-orders file the user named that cannot be used: the message says
/// which file or flag, what is wrong, and what to do (the CLI prints it as the error line).
public struct TaskFileError: Error, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
