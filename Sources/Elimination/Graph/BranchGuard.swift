/// That an equation belongs to branch `branch` of a `cond` whose index is `index`
/// (ProgramBuilder.cond inlines every branch and selects their results). JAX differentiates only
/// the branch the index picks; the interpreter computes every branch, so it zeroes the local
/// partials of an equation whose branch is not picked (a NaN or an infinity in a branch not taken
/// would otherwise reach the Jacobian through the selection's zero). The cost model does not see
/// guards: an order pays for every branch.
///
/// Stored as the equation's parameter `cond_branch=v7=1` (the index operand as the graph file
/// names it, `=`, the branch); an equation in nested conds lists one guard per cond, innermost
/// first, separated by commas: `cond_branch=v12=0,v7=1`.
public struct BranchGuard: Equatable, Sendable {
    public var index: Operand
    public var branch: Int

    public static let parameter = "cond_branch"

    public init(index: Operand, branch: Int) {
        self.index = index
        self.branch = branch
    }

    /// `v7=1`.
    public var text: String { "\(index.token)=\(branch)" }

    /// The guards of `equation`: none without a `cond_branch` parameter, nil when it cannot be read.
    public static func guards(of equation: Equation) -> [BranchGuard]? {
        guard let value = equation.param(parameter) else { return [] }
        var guards: [BranchGuard] = []
        for part in value.split(separator: ",") {
            let pieces = part.split(separator: "=")
            guard pieces.count == 2, let branch = Int(pieces[1]), branch >= 0,
                let index = Operand(reference: pieces[0])
            else { return nil }
            guards.append(BranchGuard(index: index, branch: branch))
        }
        return guards
    }
}
