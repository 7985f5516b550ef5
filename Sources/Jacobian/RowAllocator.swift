/// Packs a tape's virtual rows into few physical rows: drops instructions whose result nobody
/// reads (partials of dead-end vertices, values only a dropped partial needed), then reuses a row
/// as soon as its last reader has run. The arena then stays small enough to live in cache even at
/// large batch sizes. Constant rows are filled once per workspace, so they are never reused.
enum RowAllocator {
    static func pack(_ tape: inout Tape) {
        let n = tape.rowCount
        var isRoot = [Bool](repeating: false, count: n)
        var isConstant = [Bool](repeating: false, count: n)
        for c in tape.constants { isConstant[Int(c.row)] = true }
        for values in tape.outputValues { for case .row(let r) in values { isRoot[Int(r)] = true } }
        for row in tape.blocks {
            for block in row { for case .row(let r) in block.map(\.value) { isRoot[Int(r)] = true } }
        }

        // Dead-code elimination, backwards (rows are defined once).
        var live = isRoot
        var kept: [Instruction] = []
        for inst in tape.instructions.reversed() where live[Int(inst.dst)] {
            kept.append(inst)
            forEachUse(inst, tape) { live[Int($0)] = true }
        }
        tape.instructions = kept.reversed()

        // Last reader of every row (roots and constants are never released).
        var lastUse = [Int](repeating: -1, count: n)
        for (i, inst) in tape.instructions.enumerated() { forEachUse(inst, tape) { lastUse[Int($0)] = i } }
        var physical = [Int32](repeating: -1, count: n)
        var free: [Int32] = []
        var next: Int32 = 0
        func assign(_ r: Int32) {
            physical[Int(r)] =
                free.popLast()
                ?? {
                    next += 1; return next - 1
                }()
        }
        func releasable(_ r: Int32) -> Bool { !isRoot[Int(r)] && !isConstant[Int(r)] }
        for c in tape.constants { assign(c.row) }
        for rows in tape.inputRows { for r in rows where physical[Int(r)] < 0 { assign(r) } }
        // Inputs nobody reads are written before the first instruction and can be reused at once.
        for rows in tape.inputRows {
            for r in rows where lastUse[Int(r)] < 0 && releasable(r) && !free.contains(physical[Int(r)]) {
                free.append(physical[Int(r)])
            }
        }
        var released = [Bool](repeating: false, count: n)
        for (i, inst) in tape.instructions.enumerated() {
            assign(inst.dst)
            forEachUse(inst, tape) { r in
                if lastUse[Int(r)] == i && releasable(r) && !released[Int(r)] {
                    released[Int(r)] = true
                    free.append(physical[Int(r)])
                }
            }
        }

        // Rewrite every row reference.
        let map = { (r: Int32) -> Int32 in r < 0 ? r : physical[Int(r)] }
        for i in tape.instructions.indices {
            tape.instructions[i].dst = map(tape.instructions[i].dst)
            switch tape.instructions[i].opcode {
            case .sum, .extremum: break
            default:
                tape.instructions[i].a = map(tape.instructions[i].a)
                tape.instructions[i].b = map(tape.instructions[i].b)
                tape.instructions[i].c = map(tape.instructions[i].c)
            }
        }
        for i in tape.terms.indices {
            tape.terms[i].a = map(tape.terms[i].a)
            tape.terms[i].b = map(tape.terms[i].b)
        }
        for i in tape.lists.indices { tape.lists[i] = map(tape.lists[i]) }
        tape.constants = tape.constants.map { (row: map($0.row), value: $0.value) }
        tape.inputRows = tape.inputRows.map { $0.map(map) }
        let mapVal = { (v: Val) -> Val in if case .row(let r) = v { return .row(map(r)) } else { return v } }
        tape.outputValues = tape.outputValues.map { $0.map(mapVal) }
        tape.blocks = tape.blocks.map { $0.map { $0.map { (index: $0.index, value: mapVal($0.value)) } } }
        tape.rowCount = Int(next)
    }

    /// Every row an instruction reads.
    static func forEachUse(_ inst: Instruction, _ tape: Tape, _ body: (Int32) -> Void) {
        switch inst.opcode {
        case .sum:
            for t in Int(inst.start)..<Int(inst.start + inst.count) {
                if tape.terms[t].a >= 0 { body(tape.terms[t].a) }
                if tape.terms[t].b >= 0 { body(tape.terms[t].b) }
            }
        case .extremum:
            for k in Int(inst.start)..<Int(inst.start + inst.count) { body(tape.lists[k]) }
        case .tieShare:
            body(inst.a)
            body(inst.b)
            for k in Int(inst.start)..<Int(inst.start + inst.count) { body(tape.lists[k]) }
        default:
            if inst.a >= 0 { body(inst.a) }
            if inst.b >= 0 { body(inst.b) }
            if inst.c >= 0 { body(inst.c) }
        }
    }
}
