/// A dtype as a jaxpr prints it (`f64`, `bf16`, `i32`, `u8`, `bool`), for the rewrites that write
/// literals and conversions of it: JAX's long name, and the literal a combination leaves every value
/// unchanged with. ccelim holds every value as a Double, but what a rewrite writes stays a jaxpr
/// JAX would accept: an integer padded with `-2147483648`, not `-inf`.
enum ElementType {
    /// JAX's name of `dtype`, as `new_dtype` and `preferred_element_type` print it: f64 → float64,
    /// bf16 → bfloat16, i32 → int32, u8 → uint8, c64 → complex64; bool and long names as they are.
    static func name(_ dtype: String) -> String {
        for (short, long) in [("bf", "bfloat"), ("f", "float"), ("i", "int"), ("u", "uint"), ("c", "complex")]
        where dtype.hasPrefix(short) && dtype.dropFirst(short.count).first?.isNumber == true {
            return long + dtype.dropFirst(short.count)
        }
        return dtype
    }

    /// The literal of `dtype` that `combiner` (add, mul, max, min) leaves every value unchanged
    /// with, as JAX's reductions start and pad (lax._get_max_identity and its kin): 0 and 1, ∓inf
    /// for floats, an integer type's least and greatest value (−2147483648 and 2147483647 for
    /// i32, 0 and 255 for u8), False and True for booleans. nil where no literal is right: a sum
    /// or product of booleans (JAX refuses both), the max or min of a float type without
    /// infinities (`f8_e4m3fn` and the other `…fn` types), any other dtype.
    static func identity(of combiner: String, _ dtype: String) -> String? {
        if dtype == "bool" { return ["max": "False", "min": "True"][combiner] }
        if dtype.hasPrefix("f") || dtype.hasPrefix("bf") {
            // The float8 types named …fn have no infinities (JAX starts their max at the finite least).
            if dtype.contains("fn") && (combiner == "max" || combiner == "min") { return nil }
            return ["add": "0.0", "mul": "1.0", "max": "-inf", "min": "inf"][combiner]
        }
        guard let kind = dtype.first, kind == "i" || kind == "u", let bits = Int(dtype.dropFirst()), 1...64 ~= bits
        else { return nil }
        let (least, greatest): (String, String)
        if kind == "u" {
            (least, greatest) = ("0", String(UInt64.max >> (64 - bits)))
        } else {
            (least, greatest) = (String(Int64.min >> (64 - bits)), String(Int64.max >> (64 - bits)))
        }
        return ["add": "0", "mul": "1", "max": least, "min": greatest][combiner]
    }
}
