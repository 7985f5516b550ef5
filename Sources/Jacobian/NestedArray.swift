import Console
import Foundation

/// Row-major values ↔ nested JSON arrays of a given shape (a scalar is a bare number). Non-finite
/// numbers are written as the strings "NaN", "Infinity", "-Infinity", as values.json does, since
/// JSON has no literal for them.
public enum NestedArray {
    /// A nested array that does not have the expected shape or holds something other than numbers.
    public struct ReadError: Error, CustomStringConvertible {
        public var description: String
        init(_ message: String) { description = PrintableText.escaped(message) }
    }

    public static func json(_ values: some Collection<Double>, shape: [Int]) -> JSON {
        let flat = Array(values)
        func build(_ offset: Int, _ dims: ArraySlice<Int>) -> JSON {
            guard let first = dims.first else { return number(flat[offset]) }
            let stride = dims.dropFirst().reduce(1, *)
            return .array((0..<first).map { build(offset + $0 * stride, dims.dropFirst()) })
        }
        return build(0, shape[...])
    }

    public static func number(_ x: Double) -> JSON {
        if x.isNaN { return .string("NaN") }
        if x.isInfinite { return .string(x > 0 ? "Infinity" : "-Infinity") }
        return .double(x)
    }

    /// Reads a nested array of exactly `shape` (numbers, or the strings above), row-major.
    public static func values(_ any: Any, shape: [Int], what: String) throws -> [Double] {
        var out: [Double] = []
        func read(_ value: Any, _ dims: ArraySlice<Int>, _ path: String) throws {
            if let n = dims.first {
                guard let array = value as? [Any] else {
                    throw ReadError("\(what)\(path): expected an array of \(n), found \(describe(value))")
                }
                guard array.count == n else {
                    throw ReadError("\(what)\(path): expected \(n) entries (shape \(shape)), found \(array.count)")
                }
                for (i, v) in array.enumerated() { try read(v, dims.dropFirst(), path + "[\(i)]") }
            } else {
                out.append(try scalar(value, what + path))
            }
        }
        try read(any, shape[...], "")
        return out
    }

    static func scalar(_ value: Any, _ what: String) throws -> Double {
        if let x = value as? Double { return x }
        if let b = value as? Bool { return b ? 1 : 0 }
        if let n = value as? NSNumber { return n.doubleValue }
        switch value as? String {
        case "NaN": return .nan
        case "Infinity": return .infinity
        case "-Infinity": return -.infinity
        default: throw ReadError("\(what): expected a number, found \(describe(value))")
        }
    }

    static func describe(_ value: Any) -> String {
        if let a = value as? [Any] { return "an array of \(a.count)" }
        if let s = value as? String { return "the string \"\(s)\"" }
        return "\(value)"
    }
}
