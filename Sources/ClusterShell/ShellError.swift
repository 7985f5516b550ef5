/// Why a role's shell could not start or had to stop; printed by `main`.
public struct ShellError: Error, CustomStringConvertible {
    public var description: String

    public init(_ description: String) { self.description = description }
}
