import Foundation

/// Reads JSON text into Foundation's shapes ([Any], [String: Any], String, Bool, NSNull) with
/// every number an exact Double: the nearest Double to the digits written, so a value printed
/// with 17 significant digits (`ccelim jacobian --json`, Python's `json.dump`) reads back bit for
/// bit. JSONSerialization on Linux does not: it returns some numbers as NSDecimalNumber, whose
/// doubleValue was up to 5 ulps off for 38 % of random inputs (probe26), so the interpreter ran
/// at another point than the generated C, which parses with strtod. JSONDecoder's Double is exact.
public enum JSONReading {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public static func parse(_ text: String) throws(Failure) -> Any {
        do {
            return try JSONDecoder().decode(Tree.self, from: Data(text.utf8)).value
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
        case null, bool(Bool), number(Double), string(String), array([Tree]), object([String: Tree])

        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if c.decodeNil() {
                self = .null
            } else if let b = try? c.decode(Bool.self) {
                self = .bool(b)
            } else if let x = try? c.decode(Double.self) {
                self = .number(x)
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
