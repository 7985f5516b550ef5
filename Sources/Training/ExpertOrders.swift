import Console
import Foundation

/// Expert orders read from JSON files, by program name: `ccelim search --json`-style entries
/// collected per program, as Datasets/corpus/anneal.json stores them (`{"results": {NAME:
/// {"order": [...]}}}`), or the same map at the top level, or NAME → [order]. Orders are vertex
/// ids; the pretraining re-scores each on its graph and never trusts a stored cost.
public struct ExpertOrders: Sendable {
    /// Candidate orders per program name, in file order.
    public var orders: [String: [[Int]]] = [:]

    public init() {}

    /// Adds the orders of one file's JSON text.
    public mutating func add(json data: Data, path: String) throws {
        let root: Any
        do {
            root = try JSONReading.parse(data)
        } catch {
            throw SoloTrainingError("\(path) is not JSON: \(error.description)")
        }
        guard var map = root as? [String: Any] else {
            throw SoloTrainingError("\(path): expected a JSON object of program name → order")
        }
        if let results = map["results"] as? [String: Any] { map = results }
        for (name, entry) in map {
            let value = (entry as? [String: Any])?["order"] ?? entry
            guard let order = value as? [Int] else { continue }  // other keys (seconds, command)
            orders[name, default: []].append(order)
        }
    }

    /// Reads and adds `path`.
    public mutating func add(file path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SoloTrainingError("cannot read --orders file \(path)")
        }
        try add(json: data, path: path)
    }
}
