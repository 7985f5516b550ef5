/// A run-folder failure: which file, and what happened (one line, for the command to print).
public struct RunFolderError: Error, CustomStringConvertible {
    public var path: String
    public var problem: String

    public init(_ path: String, _ problem: String) {
        self.path = path
        self.problem = problem
    }

    public var description: String { "\(path): \(problem)" }
}
