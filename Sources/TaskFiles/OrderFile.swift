import Console
import Elimination
import Foundation

/// An elimination order kept in a file, so that an order found by one command reaches every other
/// one (`optimize … --json > best.json`, then `bound`, `codegen`, `jacobian`, `export`, `cost`
/// with `--order best.json`). The file is either
/// - the JSON object one of ccelim's commands printed: its `order` (optimize, cost), its
///   `best_order` (bound, train, eval), or every `results[].order` (search), or a bare JSON array
///   of vertex ids; or
/// - plain text: vertex ids separated by commas, spaces or newlines (`#` starts a comment line).
///
/// When a file holds several orders (search's results), the cheapest valid one on the graph is
/// taken; orders are always re-scored by the game, never trusted for their stated cost.
public enum OrderFile {
    /// Every order the file at `path` holds, in file order. Throws, naming the file, when it cannot
    /// be read or holds no order.
    public static func orders(at path: String) throws -> [[Int]] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TaskFileError("--order: cannot read \(path)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw TaskFileError("--order: \(path) is not UTF-8 text")
        }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("{") || trimmed.hasPrefix("[") {
            return try jsonOrders(data, path: path)
        }
        var ids: [Int] = []
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            for part in line.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" }) {
                guard let id = Int(part) else {
                    throw TaskFileError("--order: \(path): '\(part)' is not a vertex id")
                }
                ids.append(id)
            }
        }
        guard !ids.isEmpty else { throw TaskFileError("--order: \(path) holds no vertex ids") }
        return [ids]
    }

    /// The cheapest order of the file at `path` that is an order of `spec`'s graph. Throws with the
    /// game's reason (for the file's first order) when none is.
    public static func cheapest(at path: String, spec: GameSpec) throws -> [Int] {
        let orders = try orders(at: path)
        var best: (order: [Int], cost: Int)?
        for order in orders {
            guard let cost = try? Baselines.score(order, on: spec).cost else { continue }
            if best == nil || cost < best!.cost { best = (order, cost) }
        }
        if let best { return best.order }
        do {
            _ = try Baselines.score(orders[0], on: spec)
        } catch {
            throw TaskFileError("--order: the order in \(path) is not an order of \(spec.name): \(error)")
        }
        throw TaskFileError("--order: no order in \(path) is an order of \(spec.name)")
    }

    private static func jsonOrders(_ data: Data, path: String) throws -> [[Int]] {
        guard let root = try? JSONReading.parse(data) else {
            throw TaskFileError("--order: \(path) is not valid JSON")
        }
        if let list = root as? [Any] {
            guard let ids = integers(list) else {
                throw TaskFileError("--order: \(path) is a JSON array, but not of vertex ids")
            }
            return [ids]
        }
        guard let object = root as? [String: Any] else {
            throw TaskFileError("--order: \(path) is neither a JSON object nor an array")
        }
        var found: [[Int]] = []
        for key in ["order", "best_order"] {
            if let list = object[key] as? [Any], let ids = integers(list) { found.append(ids) }
        }
        for result in object["results"] as? [Any] ?? [] {
            if let entry = result as? [String: Any], let list = entry["order"] as? [Any], let ids = integers(list) {
                found.append(ids)
            }
        }
        guard !found.isEmpty else {
            throw TaskFileError(
                "--order: \(path) has no \"order\", \"best_order\" or \"results[].order\" list of vertex ids")
        }
        return found
    }

    /// The list's integers, nil if any entry is not an integer (3.5 is not).
    private static func integers(_ list: [Any]) -> [Int]? {
        var ids: [Int] = []
        for value in list {
            guard let id = value as? Int else { return nil }
            ids.append(id)
        }
        return ids
    }
}
