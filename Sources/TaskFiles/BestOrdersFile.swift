import Console
import Elimination
import Foundation

/// Datasets/best-orders.json: task name → {cost, order, method, found}. An entry is replaced only
/// by a strictly cheaper order, and only after the game re-scores it; the file is rewritten
/// atomically. A test re-scores every stored order.
public enum BestOrdersFile {
    public static let name = "best-orders.json"

    public struct Entry: Sendable {
        public var cost: Int
        public var order: [Int]
        public var method: String
        public var found: String
    }

    /// The entries of the file at `path`; none when there is no file. Entries without an integer
    /// order are an error, not skipped.
    public static func entries(_ path: String) throws -> [String: Entry] {
        guard let root = try object(path) else { return [:] }
        var entries: [String: Entry] = [:]
        for (task, value) in root {
            guard let entry = value as? [String: Any], let order = entry["order"] as? [Int] else {
                throw TaskFileError("\(path): the entry of \(task) has no \"order\" list of vertex ids")
            }
            entries[task] = Entry(
                cost: entry["cost"] as? Int ?? -1, order: order, method: entry["method"] as? String ?? "-",
                found: entry["found"] as? String ?? "-")
        }
        return entries
    }

    /// Records `order` for `task` if it is valid and cheaper than what is stored. Returns true when
    /// the file changed.
    @discardableResult
    public static func record(
        task: String, order: [Int], spec: GameSpec, method: String, found: String, path: String
    ) throws -> Bool {
        let cost = try Baselines.score(order, on: spec).cost
        var root = try object(path) ?? [:]
        if let existing = root[task] as? [String: Any], let stored = existing["cost"] as? Int, stored <= cost {
            return false
        }
        root[task] = ["cost": cost, "order": order, "method": method, "found": found] as [String: Any]
        let data = try JSONSerialization.data(withJSONObject: root, options: [.prettyPrinted, .sortedKeys])
        let tmp = path + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
        try data.write(to: URL(fileURLWithPath: tmp))
        _ = rename(tmp, path)
        return true
    }

    private static func object(_ path: String) throws -> [String: Any]? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        guard let parsed = try? JSONReading.parse(data) as? [String: Any] else {
            throw TaskFileError(
                "\(path) is not a JSON object of task entries (task → {cost, order, method, found}); fix or remove it")
        }
        return parsed
    }
}

/// "2026-11-26" in UTC, for `found` notes.
public func todayUTC() -> String {
    let f = DateFormatter()
    f.dateFormat = "yyyy-MM-dd"
    f.timeZone = TimeZone(identifier: "UTC")
    return f.string(from: Date())
}
