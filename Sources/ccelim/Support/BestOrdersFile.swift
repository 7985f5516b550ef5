import Elimination
import Foundation

/// Datasets/best-orders.json: task name → {cost, order, method, found}. An entry is replaced only
/// by a strictly cheaper order, and only after the game re-scores it; the file is rewritten
/// atomically. A test re-scores every stored order.
enum BestOrdersFile {
    struct Entry {
        var cost: Int
        var order: [Int]
        var method: String
        var found: String
    }

    /// Records `order` for `task` if it is valid and cheaper than what is stored. Returns true when
    /// the file changed.
    @discardableResult
    static func record(task: String, order: [Int], spec: GameSpec, method: String, found: String, path: String) throws -> Bool {
        let cost = try Baselines.score(order, on: spec).cost
        var root: [String: Any] = [:]
        if let data = FileManager.default.contents(atPath: path) {
            guard let parsed = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw CLIError("\(path) is not a JSON object of task entries; not overwriting it")
            }
            root = parsed
        }
        if let existing = root[task] as? [String: Any], let stored = existing["cost"] as? Int, stored <= cost { return false }
        root[task] = ["cost": cost, "order": order, "method": method, "found": found] as [String: Any]
        let data = try JSONSerialization.data(withJSONObject: root, options: [.prettyPrinted, .sortedKeys])
        let tmp = path + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
        try data.write(to: URL(fileURLWithPath: tmp))
        _ = rename(tmp, path)
        return true
    }
}

/// "2026-11-26" in UTC, for `found` notes.
func todayUTC() -> String {
    let f = DateFormatter()
    f.dateFormat = "yyyy-MM-dd"
    f.timeZone = TimeZone(identifier: "UTC")
    return f.string(from: Date())
}
