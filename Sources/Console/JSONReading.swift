import Foundation

/// Reads JSON text into Foundation's shapes ([Any], [String: Any], String, Bool, NSNull) with
/// every number an NSNumber holding the nearest Double to the digits written (so an integer beyond
/// 2^53 is rounded; none of the project's files holds one), and a value printed with 17 significant digits
/// (`ccelim jacobian --json`, Python's `json.dump`) reads back bit for bit. `as? Double` reads any
/// number, `as? Int` (and `as? [Int]`) a whole one, and `as? Bool` only true and false.
/// JSONSerialization on Linux does not read exactly: it returns some numbers as NSDecimalNumber,
/// whose doubleValue was up to 5 ulps off for 38 % of random inputs (probe26), so the interpreter
/// ran at another point than the generated C, which parses with strtod. JSONDecoder's Double is
/// exact. The one JSON reader of the project: inputs, constants, orders, best orders, expert
/// orders, run summaries and update logs.
public enum JSONReading {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public static func parse(_ text: String) throws(Failure) -> Any {
        try parse(Data(text.utf8))
    }

    public static func parse(_ data: Data) throws(Failure) -> Any {
        do {
            return try JSONDecoder().decode(Tree.self, from: data).value
        } catch let error as DecodingError {
            switch error {
            case .dataCorrupted(let context):
                let underlying = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
                throw Failure(description: underlying ?? context.debugDescription)
            default: throw Failure(description: "\(error)")
            }
        } catch {
            throw Failure(description: "\(error)")
        }
    }

    /// One JSON value; `value` is its Foundation shape.
    private enum Tree: Decodable {
        case null, bool(Bool), number(NSNumber), string(String), array([Tree]), object([String: Tree])

        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if c.decodeNil() {
                self = .null
            } else if let b = try? c.decode(Bool.self) {
                self = .bool(b)
            } else if let x = try? c.decode(Double.self) {
                // Always the Double: a whole number beyond 2^53 read as an Int would be the digits'
                // value ("1.2345678901234568e+17" is 123456789012345680), which the Double the
                // digits were printed from is not, so `as? Double` would fail on it.
                self = .number(NSNumber(value: x))
            } else if let s = try? c.decode(String.self) {
                self = .string(s)
            } else if let a = try? c.decode([Tree].self) {
                self = .array(a)
            } else {
                self = .object(try c.decode([String: Tree].self))
            }
        }

        var value: Any {
            switch self {
            case .null: return NSNull()
            case .bool(let b): return b
            case .number(let x): return x
            case .string(let s): return s
            case .array(let a): return a.map(\.value)
            case .object(let o): return o.mapValues(\.value)
            }
        }
    }
}
