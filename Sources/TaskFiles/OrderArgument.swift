import Elimination

/// Reads `--order`: a comma-separated id list, or the name of a baseline order.
public enum OrderArgument {
    public static func parse(_ text: String, spec: GameSpec) throws -> [Int] {
        switch text {
        case "fwd", "forward": return Baselines.forwardOrder(spec)
        case "rev", "reverse": return Baselines.reverseOrder(spec)
        case "markowitz", "mm": return Baselines.markowitzOrder(spec)
        default: break
        }
        var ids: [Int] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let trimmed = part.filter { $0 != " " }
            guard let id = Int(trimmed) else {
                throw TaskFileError("--order: '\(part)' is not a vertex id; give comma-separated integers like 3,1,2")
            }
            ids.append(id)
        }
        return ids
    }
}
