import Elimination
import XCTest

extension XCTestCase {
    /// Every equation of `graph` that keeps its operands' dtype (arithmetic, `max`, `min`, `pad`,
    /// `slice`, `reshape`, `transpose`, `broadcast_in_dim`, `concatenate`, `reduce_sum`) reads
    /// values and bare literals of its own dtype (an integer literal for i32: `0`, not `0.0` or
    /// `-inf`), and a `dot_general` reads operands of one dtype, naming the result's as
    /// `preferred_element_type` (as JAX names it: int32, float64) where it has one or the result's
    /// dtype differs: the rewrites write a jaxpr JAX would accept.
    func assertDtypesAgree(_ graph: ComputationalGraph, file: StaticString = #filePath, line: UInt = #line) {
        let kept: Set<String> = [
            "add", "sub", "mul", "div", "max", "min", "pad", "slice", "reshape", "transpose", "broadcast_in_dim",
            "concatenate", "reduce_sum",
        ]
        let program = graph.program
        func fits(_ text: String, _ dtype: String) -> Bool {
            if dtype == "bool" { return text == "True" || text == "False" }
            if dtype.hasPrefix("i") || dtype.hasPrefix("u") { return Int64(text) != nil || UInt64(text) != nil }
            return Double(text) != nil
        }
        // f64 → float64, i32 → int32, as JAX prints preferred_element_type.
        func jaxName(_ dtype: String) -> String {
            for (short, long) in [("f", "float"), ("i", "int"), ("u", "uint")] where dtype.hasPrefix(short) {
                return long + dtype.dropFirst()
            }
            return dtype
        }
        for eq in program.equations {
            let dtypes = eq.operands.map { program.type(of: $0).dtype }
            if kept.contains(eq.primitive) {
                for operand in eq.operands {
                    if case .literal(let text, nil) = operand {
                        XCTAssertTrue(
                            fits(text, eq.type.dtype), "\(eq.name) = \(eq.primitive) reads \(text)", file: file,
                            line: line)
                    } else {
                        XCTAssertEqual(
                            program.type(of: operand).dtype, eq.type.dtype,
                            "\(eq.name) = \(eq.primitive) reads \(operand.token)",
                            file: file, line: line)
                    }
                }
            }
            if eq.primitive == "dot_general" {
                XCTAssertEqual(Set(dtypes).count, 1, "\(eq.name) = dot_general of \(dtypes)", file: file, line: line)
                let preferred = eq.param("preferred_element_type") ?? "None"
                if preferred != "None" || dtypes.first != eq.type.dtype {
                    XCTAssertEqual(
                        preferred, jaxName(eq.type.dtype),
                        "\(eq.name) = dot_general of \(dtypes) into \(eq.type.dtype)",
                        file: file, line: line)
                }
            }
        }
    }
}
