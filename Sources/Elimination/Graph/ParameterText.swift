/// Reading numbers out of a parameter value as JAX prints it: `(0,)`, `(np.int64(1),)`,
/// `(([1], [0]), ([], []))`. Shared by the edge rules and the Jacobian interpreter.
public enum ParameterText {
    /// Every integer in the text, in order (numpy type names are ignored).
    public static func integers(in text: String) -> [Int] {
        var out: [Int] = []
        var current: Int? = nil
        var negative = false
        for c in stripNumpy(text) {
            if let d = c.wholeNumberValue, c.isASCII {
                current = (current ?? 0) * 10 + d
            } else {
                if let v = current { out.append(negative ? -v : v) }
                current = nil
                negative = c == "-"
            }
        }
        if let v = current { out.append(negative ? -v : v) }
        return out
    }

    /// The innermost bracketed lists: `(([1], [0]), ([], []))` → [[1], [0], [], []].
    public static func integerLists(in text: String) -> [[Int]] {
        var lists: [[Int]] = []
        var current: String? = nil
        for c in stripNumpy(text) {
            if c == "[" {
                current = ""
            } else if c == "]" {
                if let s = current { lists.append(integers(in: s)) }
                current = nil
            } else if current != nil {
                current!.append(c)
            }
        }
        return lists
    }

    private static func stripNumpy(_ text: String) -> String {
        text.replacing("np.int64", with: "").replacing("np.int32", with: "")
    }
}
