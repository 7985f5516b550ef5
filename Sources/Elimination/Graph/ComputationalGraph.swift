/// The computational graph of a program: inputs, vertices (one per equation, 1-based), outputs and
/// labelled edges (COST_MODEL.md §1–2). It is what the game is played on, what graph files store
/// and what the Jacobian interpreter executes.
public struct ComputationalGraph: Equatable, Sendable {
    public var name: String
    public var program: Program
    /// Every edge, grouped by target vertex in ascending order, then in operand order.
    public var edges: [Edge]

    public var inputCount: Int { program.inputs.count }
    public var vertexCount: Int { program.equations.count }
    public var outputs: [Int] { program.outputs }

    public init(name: String, program: Program, edges: [Edge]) {
        self.name = name
        self.program = program
        self.edges = edges
    }

    public func isOutput(_ vertex: Int) -> Bool { program.outputs.contains(vertex) }

    /// The vertices an order must eliminate: every vertex that is not an output, ascending.
    public var eliminable: [Int] {
        let outs = Set(program.outputs)
        return (1...max(vertexCount, 1)).filter { $0 <= vertexCount && !outs.contains($0) }
    }

    /// Derives the edges of a program (`lines[v-1]` is vertex v's source line, for errors).
    /// An output that a later equation also reads gets a copy vertex appended (an identity edge,
    /// type −6) that becomes the output, as the reference does; the original becomes eliminable.
    /// With `checkingGameLimits` false the graph may be larger than a game state can hold (a
    /// generator writing a graph file for later use); such a graph is refused where it is loaded.
    public static func build(
        name: String, program: Program, lines: [Int]? = nil, checkingGameLimits: Bool = true
    ) throws(ImportError) -> ComputationalGraph {
        var program = program
        var edges: [Edge] = []
        for (index, eq) in program.equations.enumerated() {
            let line = lines?[index] ?? index + 1
            for (operand, label) in try EdgeRules.labels(for: eq, in: program, line: line) {
                let source: Node
                switch operand {
                case .input(let i): source = .input(i)
                case .vertex(let v): source = .vertex(v)
                default: continue
                }
                edges.append(Edge(source: source, target: index + 1, label: label))
            }
        }
        let consumed = Set(
            edges.compactMap { edge -> Int? in
                if case .vertex(let v) = edge.source { return v } else { return nil }
            })
        for (k, output) in program.outputs.enumerated() where consumed.contains(output) {
            let original = program.equations[output - 1]
            program.equations.append(
                Equation(
                    name: original.name + "'", type: original.type, primitive: "copy", params: [],
                    operands: [.vertex(output)]))
            let copy = program.equations.count
            let d = Dims(normalising: original.type.shape)
            edges.append(Edge(source: .vertex(output), target: copy, label: EdgeLabel(type: -6, out: d, primal: d)))
            program.outputs[k] = copy
        }
        // The game state must fit before anyone allocates one (GameLimits).
        let n = program.equations.count, maxVertices = GameLimits.maxVertices(inputs: program.inputs.count)
        let lineOf = { (v: Int) -> Int in lines.flatMap { v <= $0.count ? $0[v - 1] : $0.last } ?? v }
        if checkingGameLimits {
            try GameLimits.check(
                inputs: program.inputs.count, vertices: n, edges: edges.count, line: lineOf(min(n, maxVertices + 1)))
        }
        var shapes = Set<Dims>()
        for edge in edges {
            shapes.insert(edge.label.out)
            shapes.insert(edge.label.primal)
            if shapes.count > GameLimits.maxDistinctDims {
                throw ImportError(
                    .tooLarge, line: lineOf(edge.target),
                    "the program's edge labels use more than \(GameLimits.maxDistinctDims) distinct shapes, the most a game state can index (13 bits per shape in a packed label)"
                )
            }
        }
        return ComputationalGraph(name: name, program: program, edges: edges)
    }

    /// Reads jaxpr text (any JAX from 0.4.25 on) into a graph.
    public static func fromJaxpr(_ text: String, name: String) throws(ImportError) -> ComputationalGraph {
        let syntax = try JaxprParser.parse(text)
        let (program, lines) = try ProgramBuilder.build(syntax)
        return try build(name: name, program: program, lines: lines)
    }
}
