import Elimination
import Foundation

/// Reads `--order`: the name of a baseline order, a file holding an order (`OrderFile`: the JSON
/// another ccelim command printed, or a list of ids), or a comma-separated id list.
public enum OrderArgument {
    public static func parse(_ text: String, spec: GameSpec) throws -> [Int] {
        switch text {
        case "fwd", "forward": return Baselines.forwardOrder(spec)
        case "rev", "reverse": return Baselines.reverseOrder(spec)
        case "markowitz", "mm": return Baselines.markowitzOrder(spec)
        default: break
        }
        if isFile(text) { return try OrderFile.cheapest(at: text, spec: spec) }
        var ids: [Int] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let trimmed = part.filter { $0 != " " }
            guard let id = Int(trimmed) else {
                throw TaskFileError(
                    "--order: '\(part)' is not a vertex id; give comma-separated integers like 3,1,2, a baseline (fwd, rev, markowitz) or a file holding an order"
                )
            }
            ids.append(id)
        }
        return ids
    }

    /// Whether `text` names a file: an existing one, or something shaped like a path (so that a
    /// mistyped file name says "cannot read", not "not a vertex id").
    public static func isFile(_ text: String) -> Bool {
        FileManager.default.fileExists(atPath: text) || text.contains("/") || text.hasSuffix(".json")
            || text.hasSuffix(".txt")
    }
}
