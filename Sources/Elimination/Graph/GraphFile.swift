/// ccelim's own graph file (`.graph`): plain text, one record per line, documented in
/// Docs/GRAPH_FORMAT.md. It keeps the whole program (so the Jacobian interpreter can run it and
/// actors need nothing else) and the edge labels (so other tools can read the game without
/// re-deriving them). On load the labels are re-derived and must match, so a damaged or
/// hand-edited file is refused instead of silently changing costs. Version 2 adds the JAX shapes
/// of inputs, constants and outputs of rank 3 and more (`jax=[…]` fields); a program without any
/// is written as version 1, byte for byte as before, so older readers keep reading it, and refuse
/// a version 2 file as newer than they read instead of misreading its stored matrices.
public enum GraphFile {
    public static let magic = "ccelim-graph"
    /// The newest version this reader reads (it reads every older one).
    public static let version = 2
    /// The version that first records JAX shapes (`jax=[…]` fields).
    public static let jaxShapesVersion = 2
    /// A graph's name is one field of its `name` line and travels in the cluster's `welcome`
    /// (at most 256 bytes there): no white space, control or format characters.
    public static let maxNameBytes = 256

    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= maxNameBytes && !name.unicodeScalars.contains(where: isSeparatorOrHidden)
    }

    /// A valid name made from any text (a file's base name): white space and hidden characters
    /// become '_', and it is cut to `maxNameBytes`.
    public static func name(from text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            let kept: Unicode.Scalar = isSeparatorOrHidden(scalar) ? "_" : scalar
            guard out.utf8.count + String(kept).utf8.count <= maxNameBytes else { break }
            out.unicodeScalars.append(kept)
        }
        return out.isEmpty ? "graph" : out
    }

    private static func isSeparatorOrHidden(_ s: Unicode.Scalar) -> Bool {
        if s.properties.isWhitespace { return true }
        switch s.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate: return true
        default: return false
        }
    }

    public static func write(_ graph: ComputationalGraph, notes: [String] = []) -> String {
        let p = graph.program
        /// ` jax=[2,3,4]` after a boundary value of rank 3 or more, nothing otherwise.
        func jax(_ value: BoundaryValue) -> String {
            p.jaxShapes[value].map { " jax=[\($0.map(String.init).joined(separator: ","))]" } ?? ""
        }
        var out = "\(magic) \(p.jaxShapes.isEmpty ? 1 : jaxShapesVersion)\n"
        out += "name \(graph.name)\n"
        for note in notes { out += "note \(note.split(whereSeparator: \.isNewline).joined(separator: " "))\n" }
        out += "inputs \(p.inputs.count)\n"
        for (i, v) in p.inputs.enumerated() { out += "in\(i + 1) \(v.name) \(v.type)\(jax(.input(i + 1)))\n" }
        out += "constants \(p.constants.count)\n"
        for (i, v) in p.constants.enumerated() { out += "c\(i + 1) \(v.name) \(v.type)\(jax(.constant(i + 1)))\n" }
        out += "vertices \(p.equations.count)\n"
        for (i, eq) in p.equations.enumerated() {
            var prim = eq.primitive
            if !eq.params.isEmpty {
                prim += "[" + eq.params.map { "\($0.key)=\($0.value)" }.joined(separator: " ") + "]"
            }
            let operands = eq.operands.map(\.token).joined(separator: " ")
            out += "v\(i + 1) \(eq.name) \(eq.type) \(prim)\(operands.isEmpty ? "" : " " + operands)\n"
        }
        out += "outputs \(p.outputs.enumerated().map { "v\($1)\(jax(.output($0 + 1)))" }.joined(separator: " "))\n"
        out += "edges \(graph.edges.count)\n"
        for e in graph.edges {
            out += "\(e.source) v\(e.target) \(e.label.integers.map(String.init).joined(separator: " "))\n"
        }
        out += "end\n"
        return out
    }

    public static func read(_ text: String, path: String? = nil) throws(ImportError) -> ComputationalGraph {
        do {
            return try parse(text)
        } catch {
            throw path.map { error.inFile($0) } ?? error
        }
    }

    private static func parse(_ text: String) throws(ImportError) -> ComputationalGraph {
        var reader = LineReader(text)
        let header = try reader.next("the header '\(magic) \(version)'")
        guard header.count == 2, header[0] == magic else {
            throw reader.error("not a ccelim graph file: the first line must be '\(magic) \(version)'")
        }
        guard let v = Int(header[1]), v >= 1 else { throw reader.error("unreadable format version '\(header[1])'") }
        guard v <= version else {
            throw reader.error(
                "graph file format version \(v) is newer than this ccelim reads (\(version)); update ccelim")
        }
        let nameLine = try reader.next("'name NAME'")
        guard nameLine.count == 2, nameLine[0] == "name" else { throw reader.error("expected 'name NAME'") }
        var fields = try reader.next("'inputs N'")
        while fields.first == "note" { fields = try reader.next("'inputs N'") }

        // `jax=[…]` fields (version 2 on): the JAX shapes of boundary values of rank 3 and more.
        let readsJaxShapes = v >= jaxShapesVersion
        var jaxShapes: [BoundaryValue: [Int]] = [:]
        let inputCount = try reader.count(fields, "inputs")
        var inputs: [Variable] = []
        for i in 1...max(inputCount, 1) where i <= inputCount {
            let f = try reader.next("input \(i)")
            guard f.count == 3 || (readsJaxShapes && f.count == 4), f[0] == "in\(i)" else {
                throw reader.error("expected 'in\(i) NAME TYPE\(readsJaxShapes ? " [jax=[SHAPE]]" : "")'")
            }
            inputs.append(Variable(name: f[1], type: try reader.type(f[2])))
            if f.count == 4 { jaxShapes[.input(i)] = try reader.jaxShape(f[3], storedAs: inputs[i - 1].type) }
        }
        let constantCount = try reader.count(try reader.next("'constants N'"), "constants")
        var constants: [Variable] = []
        for i in 1...max(constantCount, 1) where i <= constantCount {
            let f = try reader.next("constant \(i)")
            guard f.count == 3 || (readsJaxShapes && f.count == 4), f[0] == "c\(i)" else {
                throw reader.error("expected 'c\(i) NAME TYPE\(readsJaxShapes ? " [jax=[SHAPE]]" : "")'")
            }
            constants.append(Variable(name: f[1], type: try reader.type(f[2])))
            if f.count == 4 { jaxShapes[.constant(i)] = try reader.jaxShape(f[3], storedAs: constants[i - 1].type) }
        }
        let vertexCount = try reader.count(try reader.next("'vertices N'"), "vertices")
        // Refuse a graph the game cannot hold before reading (or allocating for) its vertices.
        try GameLimits.check(inputs: inputCount, vertices: vertexCount, line: reader.line)
        var equations: [Equation] = []
        for i in 1...max(vertexCount, 1) where i <= vertexCount {
            let f = try reader.next("vertex \(i)")
            guard f.count >= 4, f[0] == "v\(i)" else {
                throw reader.error("expected 'v\(i) NAME TYPE PRIMITIVE[PARAMS] OPERANDS…'")
            }
            let (primitive, params) = try reader.primitive(f[3])
            var operands: [Operand] = []
            for t in f.dropFirst(4) {
                let operand = try reader.operand(t)
                switch operand {
                case .input(let k) where k < 1 || k > inputCount,
                    .constant(let k) where k < 1 || k > constantCount:
                    throw reader.error("operand '\(t)' does not exist")
                case .vertex(let k) where k < 1 || k >= i:
                    throw reader.error("operand '\(t)' of v\(i) must be an earlier vertex")
                default: operands.append(operand)
                }
            }
            equations.append(
                Equation(
                    name: f[1], type: try reader.type(f[2]), primitive: primitive, params: params, operands: operands))
        }
        let outs = try reader.next("'outputs v…'")
        guard outs.first == "outputs", outs.count >= 2 else { throw reader.error("expected 'outputs v…'") }
        var outputs: [Int] = []
        var listed = Set<Int>()
        for t in outs.dropFirst() {
            if readsJaxShapes, t.hasPrefix("jax="), let last = outputs.last {
                guard jaxShapes[.output(outputs.count)] == nil else {
                    throw reader.error("output v\(last) has two 'jax=' fields")
                }
                jaxShapes[.output(outputs.count)] = try reader.jaxShape(t, storedAs: equations[last - 1].type)
                continue
            }
            guard case .vertex(let k) = try reader.operand(t), k >= 1, k <= vertexCount, listed.insert(k).inserted
            else {
                throw reader.error("output '\(t)' is not a distinct vertex of this graph")
            }
            outputs.append(k)
        }
        guard !outputs.isEmpty else { throw reader.error("expected 'outputs v…'") }
        let edgeCount = try reader.count(try reader.next("'edges N'"), "edges")
        var edges: [Edge] = []
        var edgeLines: [Int] = []
        for _ in 0..<edgeCount {
            let f = try reader.next("an edge")
            guard f.count == 7, let target = Int(f[1].dropFirst()), f[1].hasPrefix("v") else {
                throw reader.error("expected 'SOURCE vTARGET TYPE OUT1 OUT2 IN1 IN2'")
            }
            let source: Node
            switch try reader.operand(f[0]) {
            case .input(let k): source = .input(k)
            case .vertex(let k): source = .vertex(k)
            default: throw reader.error("edge source '\(f[0])' must be an input or a vertex")
            }
            let ints = f[2...].compactMap { Int($0) }
            guard ints.count == 5 else { throw reader.error("an edge label is five integers") }
            guard ints[1...].allSatisfy({ abs($0) <= GameLimits.maxDimension }) else {
                throw reader.error("an edge label's sizes must be within ±\(GameLimits.maxDimension)")
            }
            edges.append(
                Edge(
                    source: source, target: target,
                    label: EdgeLabel(type: ints[0], out: Dims(ints[1], ints[2]), primal: Dims(ints[3], ints[4]))))
            edgeLines.append(reader.line)
        }
        let end = try reader.next("'end'")
        guard end == ["end"] else { throw reader.error("expected 'end' after \(edgeCount) edges") }

        // The labels must be exactly what the program implies.
        let program = Program(
            inputs: inputs, constants: constants, equations: equations, outputs: outputs, jaxShapes: jaxShapes)
        let derived = try ComputationalGraph.build(name: nameLine[1], program: program)
        guard derived.program.equations.count == equations.count else {
            throw ImportError(
                .invalidGraphFile, line: reader.line,
                "an output is also read by a later vertex; re-import the jaxpr so the copy vertex is written out")
        }
        let expected = Set(derived.edges)
        for (edge, line) in zip(edges, edgeLines) where !expected.contains(edge) {
            throw ImportError(
                .invalidGraphFile, line: line,
                "edge \(edge.source)→v\(edge.target) \(edge.label) does not follow from the program")
        }
        guard Set(edges) == expected else {
            throw ImportError(
                .invalidGraphFile, line: reader.line,
                "the edge list is incomplete: the program implies \(expected.count) edges, the file lists \(edges.count)"
            )
        }
        return ComputationalGraph(name: nameLine[1], program: program, edges: edges)
    }
}

/// Splits a graph file into non-empty, non-comment lines of fields; brackets keep a parameter list
/// (`dot_general[dimension_numbers=(([1], [0]), ([], []))]`) together as one field.
private struct LineReader {
    private var lines: [Substring]
    private var index = 0
    private(set) var line = 0

    init(_ text: String) {
        lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    }

    mutating func next(_ what: String) throws(ImportError) -> [String] {
        while index < lines.count {
            let raw = lines[index]
            index += 1
            line = index
            let trimmed = raw.drop { $0 == " " || $0 == "\t" }
            if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed == "\r" { continue }
            return fields(trimmed)
        }
        throw ImportError(.invalidGraphFile, line: line, "the file ends where \(what) was expected: it looks truncated")
    }

    private func fields(_ s: Substring) -> [String] {
        var out: [String] = []
        var current = ""
        var depth = 0
        for c in s where c != "\r" {
            if c == "[" || c == "(" || c == "{" { depth += 1 }
            if c == "]" || c == ")" || c == "}" { depth -= 1 }
            if (c == " " || c == "\t") && depth <= 0 {
                if !current.isEmpty { out.append(current); current = "" }
            } else {
                current.append(c)
            }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    func error(_ message: String) -> ImportError { ImportError(.invalidGraphFile, line: line, message) }

    func count(_ f: [String], _ keyword: String) throws(ImportError) -> Int {
        guard f.count == 2, f[0] == keyword, let n = Int(f[1]), n >= 0, n < 10_000_000 else {
            throw error("expected '\(keyword) N'")
        }
        return n
    }

    func type(_ text: String) throws(ImportError) -> ArrayType {
        guard let open = text.firstIndex(of: "["), text.last == "]" else { throw error("unreadable type '\(text)'") }
        let dtype = String(text[..<open])
        let inner = text[text.index(after: open)..<text.index(before: text.endIndex)]
        var shape: [Int] = []
        if !inner.isEmpty {
            for part in inner.split(separator: ",") {
                guard let n = Int(part.trimmingSpaces()), n >= 0, n <= GameLimits.maxDimension else {
                    throw error("unreadable type '\(text)' (sizes are 0…\(GameLimits.maxDimension))")
                }
                shape.append(n)
            }
        }
        guard !dtype.isEmpty, shape.count <= 2 else { throw error("type '\(text)' is not an array of rank ≤ 2") }
        return ArrayType(dtype: dtype, shape: shape)
    }

    /// A `jax=[a1,…,ak,c]` field: the JAX shape (rank ≥ 3) of a value whose stored matrix is
    /// `stored`, which must be (a1·…·ak, c) of the same elements.
    func jaxShape(_ text: String, storedAs stored: ArrayType) throws(ImportError) -> [Int] {
        guard text.hasPrefix("jax=["), text.hasSuffix("]") else {
            throw error("unreadable field '\(text)': expected 'jax=[SIZES]' (a JAX shape of rank 3 or more)")
        }
        var shape: [Int] = []
        for part in text.dropFirst(5).dropLast().split(separator: ",", omittingEmptySubsequences: false) {
            guard let n = Int(part.trimmingSpaces()), n >= 0, n <= GameLimits.maxDimension else {
                throw error("unreadable JAX shape '\(text)' (sizes are 0…\(GameLimits.maxDimension))")
            }
            shape.append(n)
        }
        guard shape.count >= 3 else {
            throw error("'\(text)' has rank \(shape.count): only values of rank 3 and more carry a JAX shape")
        }
        var rows = 1
        for n in shape.dropLast() {
            let (product, overflow) = rows.multipliedReportingOverflow(by: n)
            guard !overflow, product <= GameLimits.maxDimension else {
                throw error("JAX shape '\(text)' has more rows than a stored matrix holds")
            }
            rows = product
        }
        guard stored.shape == [rows, shape.last!] else {
            throw error(
                "JAX shape '\(text)' is stored as a matrix of shape [\(rows),\(shape.last!)], the file's type is \(stored)"
            )
        }
        return shape
    }

    func primitive(_ text: String) throws(ImportError) -> (String, [Parameter]) {
        guard let open = text.firstIndex(of: "[") else { return (text, []) }
        guard text.last == "]" else { throw error("unreadable primitive '\(text)'") }
        let name = String(text[..<open])
        let body = text[text.index(after: open)..<text.index(before: text.endIndex)]
        var params: [Parameter] = []
        var depth = 0
        var current = ""
        func flush() throws(ImportError) {
            guard !current.isEmpty else { return }
            guard let eq = current.firstIndex(of: "=") else { throw error("parameter '\(current)' has no '='") }
            params.append(Parameter(key: String(current[..<eq]), value: String(current[current.index(after: eq)...])))
            current = ""
        }
        for c in body {
            if c == "[" || c == "(" || c == "{" || c == "<" { depth += 1 }
            if c == "]" || c == ")" || c == "}" || c == ">" { depth -= 1 }
            if c == " " && depth == 0 && !Self.isUnfinishedSharedDefinitions(current) {
                try flush()
            } else {
                current.append(c)
            }
        }
        try flush()
        return (name, params)
    }

    /// A nested body that names shared jaxprs is kept with their definitions before it
    /// (`call_jaxpr=let _f = { lambda … } in { lambda … }`, JaxprParser), a value with spaces
    /// outside brackets: it goes on up to the body that follows its last `in`.
    private static func isUnfinishedSharedDefinitions(_ parameter: String) -> Bool {
        guard let eq = parameter.firstIndex(of: "=") else { return false }
        let value = parameter[parameter.index(after: eq)...]
        guard value == "let" || value.hasPrefix("let ") else { return false }
        guard value.last == "}" else { return true }
        // The body that ends the value, and what comes before it.
        var depth = 0
        var start = value.endIndex
        repeat {
            start = value.index(before: start)
            if value[start] == "}" { depth += 1 }
            if value[start] == "{" { depth -= 1 }
        } while depth > 0 && start > value.startIndex
        return !value[..<start].hasSuffix(" in ")
    }

    func operand(_ t: String) throws(ImportError) -> Operand {
        if let reference = Operand(reference: t) { return reference }
        // A literal: `0.5`, `-0.5`, `True`, or typed `2.0:f32[]`.
        if let colon = t.firstIndex(of: ":") {
            let value = String(t[..<colon])
            guard isLiteral(value) else { throw error("unreadable operand '\(t)'") }
            return .literal(value, try type(String(t[t.index(after: colon)...])))
        }
        guard isLiteral(t) else { throw error("unreadable operand '\(t)'") }
        return .literal(t, nil)
    }

    private func isLiteral(_ s: String) -> Bool {
        Double(s) != nil || ["True", "False", "inf", "-inf", "nan"].contains(s)
    }
}

extension Substring {
    func trimmingSpaces() -> Substring {
        var s = self
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return s
    }
}
