/// Text from outside — a file, a flag, a peer's message — made safe to show on one terminal line.
/// Every error type that quotes input passes its text through here, so a file of NUL bytes, an
/// escape sequence or a right-to-left override in a name prints as visible escapes, never as raw
/// bytes that garble (or drive) the terminal.
public enum PrintableText {
    /// Control characters (C0, DEL, C1), format characters (bidi overrides, zero-width marks) and
    /// line/paragraph separators become `\0`, `\n`, `\r`, `\t` or `\u{XXXX}`; everything else is
    /// kept. Beyond `maxCharacters` the text is cut and ends with "…".
    public static func escaped(_ text: some StringProtocol, maxCharacters: Int = .max) -> String {
        var out = ""
        var kept = 0
        for scalar in text.unicodeScalars {
            if kept >= maxCharacters {
                out += "…"
                break
            }
            kept += 1
            guard needsEscape(scalar) else {
                out.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "\0": out += "\\0"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default: out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            }
        }
        return out
    }

    /// True when `text` would print as it is.
    public static func isPrintable(_ text: some StringProtocol) -> Bool {
        !text.unicodeScalars.contains(where: needsEscape)
    }

    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate: return true
        default: return false
        }
    }
}
