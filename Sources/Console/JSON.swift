/// A tiny JSON writer (one for every command, benchmark and run file) with ordered keys, so `--json` output is stable byte for byte.
public enum JSON: Sendable {
    case int(Int)
    case double(Double)
    case string(String)
    case bool(Bool)
    case array([JSON])
    case object([(String, JSON)])
    case null

    public static func ints(_ xs: [Int]) -> JSON { .array(xs.map { .int($0) }) }

    public var text: String {
        switch self {
        case .int(let i): return String(i)
        case .double(let d):
            guard d.isFinite else { return "null" }
            return d == d.rounded() && abs(d) < 1e15 ? String(format1: d) : "\(d)"
        case .string(let s): return Self.quote(s)
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        case .array(let xs): return "[" + xs.map(\.text).joined(separator: ", ") + "]"
        case .object(let kv): return "{" + kv.map { Self.quote($0.0) + ": " + $0.1.text }.joined(separator: ", ") + "}"
        }
    }

    public static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if u.value < 0x20 {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }
}

private extension String {
    /// `3.0` rather than `3`, so a double stays a double for readers that care.
    init(format1 d: Double) { self = "\(Int(d)).0" }
}
