/// Runs a tape over a batch. The batch is cut into tiles of at most `tileSize` samples and the
/// whole tape runs on one tile at a time, so the arena — (rows, tile) scalars, allocated once —
/// stays in cache however large the batch. Within a tile every instruction's inner loop runs over
/// the contiguous samples of a row (structure of arrays). Nothing is allocated per run.
final class TapeRunner<S: JacobianScalar> {
    /// Samples per tile: 256 keeps the arena of the benchmark tasks within L2.
    static var tileSize: Int { 256 }

    let tape: Tape
    let batch: Int
    /// Samples per tile; the last tile may be shorter.
    let tile: Int
    /// (rowCount, tile): row r's samples are arena[r·tile ..< (r+1)·tile].
    private let arena: UnsafeMutablePointer<S>
    /// inputs[k]: (elements of input k, batch), staged by `setInput` and copied in per tile.
    private let inputs: [UnsafeMutablePointer<S>]
    private let coefficients: [S]

    /// `untiled`: one tile for the whole batch, for tapes that read the batch's first sample
    /// (`.holdFirstSample`).
    init(tape: Tape, batch: Int, untiled: Bool = false) {
        self.tape = tape
        self.batch = batch
        tile = untiled ? batch : min(batch, Self.tileSize)
        let capacity = max(tape.rowCount, 1) * tile
        arena = .allocate(capacity: capacity)
        arena.initialize(repeating: 0, count: capacity)
        inputs = tape.inputRows.map { rows in
            let p = UnsafeMutablePointer<S>.allocate(capacity: max(rows.count, 1) * batch)
            p.initialize(repeating: 0, count: max(rows.count, 1) * batch)
            return p
        }
        coefficients = tape.terms.map { S($0.coefficient) }
        for c in tape.constants { row(c.row).update(repeating: S(c.value), count: tile) }
    }

    deinit {
        arena.deallocate()
        for p in inputs { p.deallocate() }
    }

    @inline(__always) func row(_ r: Int32) -> UnsafeMutablePointer<S> { arena + Int(r) &* tile }

    /// values[b · N + e] is element e of sample b (sample-major, as the user gives it).
    func setInput(_ k: Int, _ values: UnsafeBufferPointer<Double>) {
        let n = tape.inputRows[k].count
        let staged = inputs[k]
        for e in 0..<n {
            let dst = staged + e * batch
            for b in 0..<batch { dst[b] = S(values[b &* n &+ e]) }
        }
    }

    /// Runs every tile and hands each to `result` while its rows are still in the arena.
    func run(into result: DenseResult<S>) {
        var start = 0
        while start < batch {
            let count = min(tile, batch - start)
            for (k, rows) in tape.inputRows.enumerated() {
                for (e, r) in rows.enumerated() { row(r).update(from: inputs[k] + e * batch + start, count: count) }
            }
            runTile(count)
            result.fill(from: self, start: start, count: count)
            start += count
        }
    }

    private func runTile(_ B: Int) {
        tape.instructions.withUnsafeBufferPointer { instructions in
            tape.terms.withUnsafeBufferPointer { terms in
                coefficients.withUnsafeBufferPointer { coefficients in
                    tape.lists.withUnsafeBufferPointer { lists in
                        for inst in instructions {
                            let d = row(inst.dst)
                            switch inst.opcode {
                            case .unary:
                                unary(UnaryFunction(rawValue: inst.function)!, d, row(inst.a), Int(inst.parameter), B)
                            case .unaryDerivative:
                                unaryDerivative(
                                    UnaryFunction(rawValue: inst.function)!, d, row(inst.a), row(inst.b),
                                    Int(inst.parameter), B)
                            case .binary:
                                binary(BinaryFunction(rawValue: inst.function)!, d, row(inst.a), row(inst.b), B)
                            case .binaryPartial:
                                binaryPartial(
                                    BinaryFunction(rawValue: inst.function)!, Int(inst.parameter), d, row(inst.a),
                                    row(inst.b), row(inst.c), B)
                            case .sum:
                                sum(d, terms, coefficients, Int(inst.start), Int(inst.count), B)
                            case .extremum:
                                extremum(max: inst.function == 0, d, lists, Int(inst.start), Int(inst.count), B)
                            case .tieShare:
                                tieShare(d, row(inst.a), row(inst.b), lists, Int(inst.start), Int(inst.count), B)
                            case .select:
                                map(B, d, row(inst.a), row(inst.b), row(inst.c)) { $0 != 0 ? $2 : $1 }
                            case .holdFirstSample:
                                // Sample 0 of the batch: such tapes run untiled.
                                let x = row(inst.a)
                                let first = x[0]
                                for i in 0..<B { d[i] = first }
                            }
                        }
                    }
                }
            }
        }
    }

    // MARK: Kernels (d: destination row, B samples)

    // Each function gets its own loop (the switch is outside it), so the cheap ones vectorise and
    // none pays a jump-table dispatch per sample.

    @inline(__always)
    private func map(_ B: Int, _ d: UnsafeMutablePointer<S>, _ x: UnsafeMutablePointer<S>, _ f: (S) -> S) {
        for i in 0..<B { d[i] = f(x[i]) }
    }

    @inline(__always)
    private func map(
        _ B: Int, _ d: UnsafeMutablePointer<S>, _ x: UnsafeMutablePointer<S>, _ y: UnsafeMutablePointer<S>,
        _ f: (S, S) -> S
    ) {
        for i in 0..<B { d[i] = f(x[i], y[i]) }
    }

    @inline(__always)
    private func map(
        _ B: Int, _ d: UnsafeMutablePointer<S>, _ x: UnsafeMutablePointer<S>, _ y: UnsafeMutablePointer<S>,
        _ z: UnsafeMutablePointer<S>, _ f: (S, S, S) -> S
    ) {
        for i in 0..<B { d[i] = f(x[i], y[i], z[i]) }
    }

    private func unary(
        _ f: UnaryFunction, _ d: UnsafeMutablePointer<S>, _ x: UnsafeMutablePointer<S>, _ n: Int, _ B: Int
    ) {
        switch f {
        case .neg: map(B, d, x) { -$0 }
        case .abs: map(B, d, x) { Swift.abs($0) }
        case .exp: map(B, d, x) { S.exp($0) }
        case .log: map(B, d, x) { S.log($0) }
        case .log1p: map(B, d, x) { S.log1p($0) }
        case .sin: map(B, d, x) { S.sin($0) }
        case .cos: map(B, d, x) { S.cos($0) }
        case .tan: map(B, d, x) { S.tan($0) }
        case .asin: map(B, d, x) { S.asin($0) }
        case .acos: map(B, d, x) { S.acos($0) }
        case .atan: map(B, d, x) { S.atan($0) }
        case .sinh: map(B, d, x) { S.sinh($0) }
        case .cosh: map(B, d, x) { S.cosh($0) }
        case .tanh: map(B, d, x) { S.tanh($0) }
        case .asinh: map(B, d, x) { S.asinh($0) }
        case .acosh: map(B, d, x) { S.acosh($0) }
        case .atanh: map(B, d, x) { S.atanh($0) }
        case .integerPow where n == 1: map(B, d, x) { $0 }
        case .integerPow where n == 2: map(B, d, x) { $0 * $0 }
        case .integerPow where n == 3: map(B, d, x) { $0 * $0 * $0 }
        case .integerPow where n == -1: map(B, d, x) { 1 / $0 }
        case .integerPow where n == -2: map(B, d, x) { 1 / ($0 * $0) }
        case .integerPow: map(B, d, x) { integerPower($0, n) }
        case .square: map(B, d, x) { $0 * $0 }
        case .sqrt: map(B, d, x) { $0.squareRoot() }
        case .rsqrt: map(B, d, x) { 1 / $0.squareRoot() }
        case .logistic: map(B, d, x) { 1 / (1 + S.exp(-$0)) }
        case .erf: map(B, d, x) { S.erf($0) }
        case .truncate: map(B, d, x) { $0.rounded(.towardZero) }
        case .toBool: map(B, d, x) { $0 != 0 ? 1 : 0 }
        case .expm1: map(B, d, x) { S.expm1($0) }
        case .logicalNot: map(B, d, x) { $0 == 0 ? 1 : 0 }
        case .sign: map(B, d, x) { $0 > 0 ? 1 : $0 < 0 ? -1 : $0 }
        case .isFinite: map(B, d, x) { $0.isFinite ? 1 : 0 }
        case .exp2: map(B, d, x) { S.exp2($0) }
        case .cbrt: map(B, d, x) { S.cbrt($0) }
        case .floor: map(B, d, x) { $0.rounded(.down) }
        case .ceil: map(B, d, x) { $0.rounded(.up) }
        case .erfc: map(B, d, x) { S.erfc($0) }
        case .roundAway: map(B, d, x) { $0.rounded(.toNearestOrAwayFromZero) }
        case .roundEven: map(B, d, x) { $0.rounded(.toNearestOrEven) }
        case .lgamma: map(B, d, x) { S.lgamma($0) }
        case .digamma: map(B, d, x) { S.digamma($0) }
        case .erfInv: map(B, d, x) { S.erfInv($0) }
        case .besselI0e: map(B, d, x) { S.besselI0e($0) }
        case .besselI1e: map(B, d, x) { S.besselI1e($0) }
        case .narrowFloat:
            let format = FloatFormat(code: n)!
            map(B, d, x) { format.round($0) }
        case .wrapInteger:
            let format = IntegerFormat(code: n)!
            map(B, d, x) { format.wrap($0) }
        case .saturateInteger:
            let format = IntegerFormat(code: n)!
            map(B, d, x) { format.saturate($0) }
        }
    }

    /// d = f'(x) given y = f(x); the formulas are UnaryFunction.derivative's.
    private func unaryDerivative(
        _ f: UnaryFunction, _ d: UnsafeMutablePointer<S>, _ x: UnsafeMutablePointer<S>,
        _ y: UnsafeMutablePointer<S>, _ n: Int, _ B: Int
    ) {
        switch f {
        case .abs: map(B, d, x) { $0 >= 0 ? 1 : -1 }
        case .exp: map(B, d, y) { $0 }
        case .log: map(B, d, x) { 1 / $0 }
        case .log1p: map(B, d, x) { 1 / (1 + $0) }
        case .tan: map(B, d, y) { 1 + $0 * $0 }
        case .atan: map(B, d, x) { 1 / (1 + $0 * $0) }
        case .tanh: map(B, d, y) { 1 - $0 * $0 }
        case .atanh: map(B, d, x) { 1 / (1 - $0 * $0) }
        case .integerPow where n == 2: map(B, d, x) { 2 * $0 }
        case .integerPow where n == 3: map(B, d, x) { 3 * $0 * $0 }
        case .square: map(B, d, x) { 2 * $0 }
        case .sqrt: map(B, d, y) { 1 / (2 * $0) }
        case .rsqrt: map(B, d, x, y) { -$1 / (2 * $0) }
        case .logistic: map(B, d, y) { $0 * (1 - $0) }
        default: map(B, d, x, y) { f.derivative($0, $1, n) }
        }
    }

    @inline(__always)
    private func binary(
        _ f: BinaryFunction, _ d: UnsafeMutablePointer<S>, _ x: UnsafeMutablePointer<S>, _ y: UnsafeMutablePointer<S>,
        _ B: Int
    ) {
        switch f {
        case .add: for i in 0..<B { d[i] = x[i] + y[i] }
        case .sub: for i in 0..<B { d[i] = x[i] - y[i] }
        case .mul: for i in 0..<B { d[i] = x[i] * y[i] }
        case .div: for i in 0..<B { d[i] = x[i] / y[i] }
        case .atan2: map(B, d, x, y) { S.atan2($0, $1) }
        case .pow: map(B, d, x, y) { S.pow($0, $1) }
        default: map(B, d, x, y) { f.value($0, $1) }
        }
    }

    /// d = ∂f/∂x (wrt 0) or ∂f/∂y (wrt 1) at z = f(x, y); the formulas are BinaryFunction.partial's.
    private func binaryPartial(
        _ f: BinaryFunction, _ wrt: Int, _ d: UnsafeMutablePointer<S>, _ x: UnsafeMutablePointer<S>,
        _ y: UnsafeMutablePointer<S>, _ z: UnsafeMutablePointer<S>, _ B: Int
    ) {
        switch (f, wrt) {
        case (.div, 0): map(B, d, y) { 1 / $0 }
        case (.div, _): map(B, d, z, y) { -$0 / $1 }
        case (.atan2, 0): map(B, d, x, y) { $1 / ($0 * $0 + $1 * $1) }
        case (.atan2, _): map(B, d, x, y) { -$0 / ($0 * $0 + $1 * $1) }
        case (.max, 0): map(B, d, x, y) { $0 > $1 ? 1 : $0 == $1 ? 0.5 : 0 }
        case (.max, _): map(B, d, x, y) { $1 > $0 ? 1 : $0 == $1 ? 0.5 : 0 }
        case (.min, 0): map(B, d, x, y) { $0 < $1 ? 1 : $0 == $1 ? 0.5 : 0 }
        case (.min, _): map(B, d, x, y) { $1 < $0 ? 1 : $0 == $1 ? 0.5 : 0 }
        default: map(B, d, x, y, z) { f.partial(wrt, $0, $1, $2) }
        }
    }

    /// d = Σ terms; the first term writes, the others add, so d needs no zeroing.
    @inline(__always)
    private func sum(
        _ d: UnsafeMutablePointer<S>, _ terms: UnsafeBufferPointer<Term>, _ coefficients: UnsafeBufferPointer<S>,
        _ start: Int, _ count: Int, _ B: Int
    ) {
        for t in start..<start + count {
            let term = terms[t]
            let first = t == start
            let c = coefficients[t]
            switch term.kind {
            case .constant:
                if first { for i in 0..<B { d[i] = c } } else { for i in 0..<B { d[i] += c } }
            case .add:
                let a = row(term.a)
                if first { for i in 0..<B { d[i] = a[i] } } else { for i in 0..<B { d[i] += a[i] } }
            case .subtract:
                let a = row(term.a)
                if first { for i in 0..<B { d[i] = -a[i] } } else { for i in 0..<B { d[i] -= a[i] } }
            case .scaled:
                let a = row(term.a)
                if first { for i in 0..<B { d[i] = c * a[i] } } else { for i in 0..<B { d[i] += c * a[i] } }
            case .product:
                let a = row(term.a), b = row(term.b)
                if first { for i in 0..<B { d[i] = a[i] * b[i] } } else { for i in 0..<B { d[i] += a[i] * b[i] } }
            case .negatedProduct:
                let a = row(term.a), b = row(term.b)
                if first { for i in 0..<B { d[i] = -(a[i] * b[i]) } } else { for i in 0..<B { d[i] -= a[i] * b[i] } }
            case .scaledProduct:
                let a = row(term.a), b = row(term.b)
                if first {
                    for i in 0..<B { d[i] = c * a[i] * b[i] }
                } else {
                    for i in 0..<B { d[i] += c * a[i] * b[i] }
                }
            }
        }
    }

    /// XLA's reduce_max/min propagate NaN.
    @inline(__always)
    private func extremum(
        max: Bool, _ d: UnsafeMutablePointer<S>, _ lists: UnsafeBufferPointer<Int32>, _ start: Int, _ count: Int,
        _ B: Int
    ) {
        let first = row(lists[start])
        for i in 0..<B { d[i] = first[i] }
        for k in start + 1..<start + count {
            let x = row(lists[k])
            for i in 0..<B {
                let v = x[i], m = d[i]
                if v.isNaN || m.isNaN { d[i] = .nan } else { d[i] = max ? Swift.max(m, v) : Swift.min(m, v) }
            }
        }
    }

    @inline(__always)
    private func tieShare(
        _ d: UnsafeMutablePointer<S>, _ x: UnsafeMutablePointer<S>, _ y: UnsafeMutablePointer<S>,
        _ lists: UnsafeBufferPointer<Int32>, _ start: Int, _ count: Int, _ B: Int
    ) {
        for i in 0..<B { d[i] = 0 }
        for k in start..<start + count {
            let m = row(lists[k])
            for i in 0..<B where m[i] == y[i] { d[i] += 1 }
        }
        for i in 0..<B { d[i] = x[i] == y[i] ? 1 / d[i] : 0 }
    }
}
