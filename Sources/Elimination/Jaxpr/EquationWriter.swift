/// The new equations one rewrite writes in place of a jaxpr equation (a scan unrolled, a value of
/// rank 3 stored as matrices, a gather re-indexed, a factorization unrolled): the list in the
/// order written, the names of the new results, and the parameters of the primitives as JAX
/// prints them, so a rewritten program reads as the jaxpr of the same computation written out.
///
/// A result is named by the rewrite (`name:`), binds a result the jaxpr declares (`into:`), or
/// gets a fresh name `prefix.1`, `prefix.2`, … in the order written (`prefix` is `name@tag`: `@`
/// never appears in printed names, and every rewrite has its own tag).
///
/// `Failure` is what a write may be refused with: a writer with `limits` (`ImportError`) refuses
/// a write past its size and a result whose declared shape is not the one written; a writer of
/// `Never` writes whatever it is given, and its writes need no `try`.
struct EquationWriter<Failure: Error> {
    /// What a writer refuses.
    struct Limits {
        /// A write (not `emit`) is refused when this many equations are written already.
        let maxEquations: Int
        let tooLarge: Failure
        /// The refusal of a write `into` a binder whose declared shape is not the one written.
        let declared: (JaxprBinder) -> Failure
    }

    let prefix: String
    /// The jaxpr line of the equation rewritten; every new binder and atom carries it.
    let line: Int
    let limits: Limits?
    private(set) var equations: [JaxprEquation] = []
    /// Fresh names handed out.
    private var count = 0

    init(prefix: String, line: Int, limits: Limits?) {
        (self.prefix, self.line, self.limits) = (prefix, line, limits)
    }

    /// `prefix.suffix`: a result the rewrite names itself.
    func name(_ suffix: String) -> String { "\(prefix).\(suffix)" }

    /// A literal as JAX 0.4.x prints it (no type).
    func literal(_ text: String) -> JaxprAtom { .literal(text: text, type: nil, line: line) }

    /// Appends `eqn` as it is: never refused, nothing checked.
    mutating func emit(_ eqn: JaxprEquation) { equations.append(eqn) }

    /// Appends another writer's equations as they are.
    mutating func emit(contentsOf eqns: [JaxprEquation]) { equations += eqns }

    /// Appends `primitive(operands)` binding `result` as it is: never refused, its shape not checked.
    mutating func emit(
        _ primitive: String, _ params: [(String, String)], _ operands: [JaxprAtom], into result: JaxprBinder
    ) {
        equations.append(
            JaxprEquation(
                outputs: [result], primitive: primitive, params: params.map { Printed.param($0.0, $0.1) },
                operands: operands, line: line))
    }

    /// Writes `primitive(operands)`, its result of `shape` and `dtype` bound to `into` (whose
    /// declared shape must be `shape`), else named `name`, else fresh.
    @discardableResult
    mutating func bind(
        _ primitive: String, _ params: [(String, String)], _ operands: [JaxprAtom], shape: [Int], dtype: String,
        name: String? = nil, into: JaxprBinder? = nil
    ) throws(Failure) -> JaxprAtom {
        if let limits {
            guard equations.count < limits.maxEquations else { throw limits.tooLarge }
            if let into, into.type.shape != shape { throw limits.declared(into) }
        }
        let binder: JaxprBinder
        if let into {
            binder = into
        } else if let name {
            binder = JaxprBinder(name: name, type: ArrayType(dtype: dtype, shape: shape), line: line)
        } else {
            count += 1
            binder = JaxprBinder(name: self.name("\(count)"), type: ArrayType(dtype: dtype, shape: shape), line: line)
        }
        emit(primitive, params, operands, into: binder)
        return .variable(name: binder.name, line: line)
    }

    /// `slice` from `start` to `limit` (unit strides when nil): shape ⌈(limit − start) / stride⌉ per axis.
    @discardableResult
    mutating func slice(
        _ x: JaxprAtom, start: [Int], limit: [Int], strides: [Int]? = nil, dtype: String, name: String? = nil,
        into: JaxprBinder? = nil
    ) throws(Failure) -> JaxprAtom {
        let steps = strides ?? start.map { _ in 1 }
        let shape = zip(zip(start, limit), steps).map { ($0.1 - $0.0 + $1 - 1) / $1 }
        return try bind(
            "slice", Printed.sliceParams(start: start, limit: limit, strides: strides), [x], shape: shape,
            dtype: dtype, name: name, into: into)
    }

    /// `reshape` to `shape` (the same elements in the same order). `sharding`: whether the
    /// parameters end with `sharding=None`, as newer JAX prints them.
    @discardableResult
    mutating func reshape(
        _ x: JaxprAtom, to shape: [Int], dtype: String, sharding: Bool, name: String? = nil, into: JaxprBinder? = nil
    ) throws(Failure) -> JaxprAtom {
        try bind(
            "reshape", Printed.reshapeParams(shape, sharding: sharding), [x], shape: shape, dtype: dtype, name: name,
            into: into)
    }

    /// `squeeze` of the size-1 axes `dimensions`, giving `shape`.
    @discardableResult
    mutating func squeeze(
        _ x: JaxprAtom, dimensions: [Int], shape: [Int], dtype: String, name: String? = nil, into: JaxprBinder? = nil
    ) throws(Failure) -> JaxprAtom {
        try bind(
            "squeeze", [("dimensions", Printed.tuple(dimensions))], [x], shape: shape, dtype: dtype, name: name,
            into: into)
    }

    /// `concatenate` of `parts` along `dimension`, giving `shape`.
    @discardableResult
    mutating func concatenate(
        _ parts: [JaxprAtom], dimension: Int, shape: [Int], dtype: String, name: String? = nil,
        into: JaxprBinder? = nil
    ) throws(Failure) -> JaxprAtom {
        try bind(
            "concatenate", [("dimension", "\(dimension)")], parts, shape: shape, dtype: dtype, name: name, into: into)
    }

    /// `broadcast_in_dim` of `x` to `shape`, x's axes at `dimensions` (none: a scalar repeated).
    @discardableResult
    mutating func broadcast(
        _ x: JaxprAtom, dimensions: [Int], shape: [Int], dtype: String, name: String? = nil, into: JaxprBinder? = nil
    ) throws(Failure) -> JaxprAtom {
        try bind(
            "broadcast_in_dim",
            [
                ("broadcast_dimensions", Printed.tuple(dimensions)), ("shape", Printed.tuple(shape)),
                ("sharding", "None"),
            ],
            [x], shape: shape, dtype: dtype, name: name, into: into)
    }

    /// `iota` of `shape`, counting along `dimension`.
    @discardableResult
    mutating func iota(
        dimension: Int, shape: [Int], dtype: String, name: String? = nil, into: JaxprBinder? = nil
    ) throws(Failure) -> JaxprAtom {
        try bind(
            "iota",
            [("dimension", "\(dimension)"), ("dtype", dtype), ("shape", Printed.tuple(shape)), ("sharding", "None")],
            [], shape: shape, dtype: dtype, name: name, into: into)
    }

    /// The matrix `x` of shape [r, c] transposed: shape [c, r].
    @discardableResult
    mutating func transpose(
        _ x: JaxprAtom, shape: [Int], dtype: String, name: String? = nil, into: JaxprBinder? = nil
    ) throws(Failure) -> JaxprAtom {
        try bind(
            "transpose", [("permutation", "(1, 0)")], [x], shape: [shape[1], shape[0]], dtype: dtype, name: name,
            into: into)
    }

    /// `dynamic_slice` of `sizes` at the run-time `starts` (one scalar per axis): shape `sizes`.
    @discardableResult
    mutating func dynamicSlice(
        _ x: JaxprAtom, starts: [JaxprAtom], sizes: [Int], dtype: String, name: String? = nil,
        into: JaxprBinder? = nil
    ) throws(Failure) -> JaxprAtom {
        try bind(
            "dynamic_slice", [("slice_sizes", Printed.tuple(sizes))], [x] + starts, shape: sizes, dtype: dtype,
            name: name, into: into)
    }

    /// `parts` (each of `shape`) combined by the binary `primitive` pairwise, as a balanced tree;
    /// the last combination binds `into` when given. One part is returned as it is.
    @discardableResult
    mutating func combine(
        _ parts: [JaxprAtom], by primitive: String, shape: [Int], dtype: String, into: JaxprBinder? = nil
    ) throws(Failure) -> JaxprAtom {
        var parts = parts
        while parts.count > 1 {
            var next: [JaxprAtom] = []
            for i in stride(from: 0, to: parts.count - 1, by: 2) {
                next.append(
                    try bind(
                        primitive, [], [parts[i], parts[i + 1]], shape: shape, dtype: dtype,
                        into: parts.count == 2 ? into : nil))
            }
            if parts.count % 2 == 1 { next.append(parts[parts.count - 1]) }
            parts = next
        }
        return parts[0]
    }

    /// `pad` of `x` with the scalar `value`, (low, high, interior) per axis, giving `shape`.
    @discardableResult
    mutating func pad(
        _ x: JaxprAtom, with value: JaxprAtom, config: [(low: Int, high: Int, interior: Int)], shape: [Int],
        dtype: String, name: String? = nil, into: JaxprBinder? = nil
    ) throws(Failure) -> JaxprAtom {
        let text = "(" + config.map { "(\($0.low), \($0.high), \($0.interior))" }.joined(separator: ", ") + ")"
        return try bind(
            "pad", [("padding_config", text)], [x, value], shape: shape, dtype: dtype, name: name, into: into)
    }
}

/// The parameters as JAX prints them (`EquationWriter.tuple([2, 3])`; the constraint only names a
/// writer type, these depend on none).
extension EquationWriter where Failure == Never {
    /// A writer that refuses nothing.
    init(prefix: String, line: Int) { self.init(prefix: prefix, line: line, limits: nil) }

    static func param(_ key: String, _ text: String) -> JaxprParam {
        JaxprParam(key: key, text: text, jaxpr: nil)
    }

    /// Every index into an array of `sizes`, in row-major order (`[[]]` for no axes): the
    /// positions inside a window or a kernel.
    static func positions(_ sizes: [Int]) -> [[Int]] {
        sizes.reduce([[]]) { prefixes, size in prefixes.flatMap { p in (0..<size).map { p + [$0] } } }
    }

    /// `(1,)`, `(2, 3)`, `()` as JAX prints tuples.
    static func tuple(_ xs: [Int]) -> String {
        xs.count == 1 ? "(\(xs[0]),)" : "(" + xs.map(String.init).joined(separator: ", ") + ")"
    }

    /// A `slice` from `start` to `limit` by `strides` (nil: unit strides, printed `None`).
    static func sliceParams(start: [Int], limit: [Int], strides: [Int]? = nil) -> [(String, String)] {
        [("limit_indices", tuple(limit)), ("start_indices", tuple(start)), ("strides", strides.map(tuple) ?? "None")]
    }

    static func reshapeParams(_ shape: [Int], sharding: Bool) -> [(String, String)] {
        [("dimensions", "None"), ("new_sizes", tuple(shape))] + (sharding ? [("sharding", "None")] : [])
    }
}

private typealias Printed = EquationWriter<Never>
