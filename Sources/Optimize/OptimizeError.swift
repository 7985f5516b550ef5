/// Why `ccelim optimize` could not run: a budget or setting out of range, a policy file that
/// cannot be used, or (a bug) an order the game does not confirm.
public struct OptimizeError: Error, CustomStringConvertible, Sendable {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
