import Console
import Elimination
import Foundation

/// An elimination order in graphax's numbering, for `jacve(f, order=[...])`: graphax numbers the
/// vertices of a jaxpr by the 1-based position of their equation, which is exactly ccelim's vertex
/// id (Datasets/README.md "Provenance"), so the order carries over unchanged. What can differ is
/// the jaxpr itself: the JAX version that printed it (equations change between versions), and two
/// things ccelim does to the printout, which the notes name when they apply — nested calls (`pjit`)
/// inlined, and a copy vertex appended for an output that later equations also read.
public struct GraphaxExport {
    /// The JAX version the jaxpr was printed with, nil when nothing says.
    public var jaxVersion: String?
    /// Where `jaxVersion` was read, or why it is unknown.
    public var jaxVersionSource: String
    public var task: String
    /// graphax numbering: 1-based jaxpr equation positions, in elimination order.
    public var order: [Int]
    /// (index, primitive) of every vertex that is a jaxpr equation, ascending.
    public var vertices: [(index: Int, primitive: String)]
    /// What a JAX user must know before applying the order.
    public var notes: [String]

    /// `order` must be a valid elimination order of `graph` (as `ccelim jacobian` accepts it).
    public init(
        graph: ComputationalGraph, order: [Int], jaxVersion: String?, jaxVersionSource: String
    ) throws(CodegenError) {
        let spec = GameSpec(graph: graph)
        do {
            try Baselines.validate(order, on: spec)
        } catch {
            throw .invalidOrder(error.description)
        }
        let equations = graph.program.equations
        // Copies ccelim appended for outputs that later equations read: they follow every equation.
        let copies = Set(
            equations.indices.filter { i in
                equations[i].primitive == "copy" && equations[i].name.hasSuffix("'")
                    && equations[i].operands.count == 1
                    && graph.outputs.contains(i + 1)
            }.map { $0 + 1 })
        self.jaxVersion = jaxVersion
        self.jaxVersionSource = jaxVersionSource
        task = graph.name
        self.order = order
        vertices = equations.indices.filter { !copies.contains($0 + 1) }.map {
            (index: $0 + 1, primitive: equations[$0].primitive)
        }
        var notes: [String] = []
        if jaxVersion == nil {
            notes.append(
                "the JAX version that printed this jaxpr is unknown (\(jaxVersionSource)); re-print the jaxpr with your JAX and check that every vertex below has the same primitive before applying the order"
            )
        } else {
            notes.append(
                "equation numbering depends on the JAX version: with a JAX other than \(jaxVersion!), check that every vertex below has the same primitive"
            )
        }
        // Suffixes the importer gives equations it made: `@3` an inlined call's, `@s1.…` an unrolled
        // scan's or while's, `@g1.…` a rewritten gather's or scatter's, `@c1.…` a cumulative scan's, `@k1.…` a
        // cond's branches, `@o1` the results of a sort of several operands, `@l1.…` an unrolled cholesky,
        // triangular_solve, lu, qr or tridiagonal_solve, or a custom_linear_solve's refinement step.
        let tags = equations.flatMap { eq in eq.name.split(separator: "@").dropFirst().map(String.init) }
        if tags.contains(where: { $0.first?.isNumber ?? false }) {
            notes.append(
                "ccelim inlined nested calls (pjit) and numbers their equations in place; graphax must see the same flat equation list (inline the calls, e.g. trace without jax.jit inside f)"
            )
        }
        if tags.contains(where: {
            ["s", "g", "c", "k", "o", "l"].contains($0.first) && $0.dropFirst().first?.isNumber == true
        }) {
            notes.append(
                "ccelim rewrote scan, while, gather, scatter, cumulative, cond, multi-operand sort, cholesky, triangular_solve, lu, qr, tridiagonal_solve or custom_linear_solve equations into several (Docs/COST_MODEL.md §6), so its vertices are not the printed jaxpr's equations: this order applies to the program as ccelim imported it, not to the original jaxpr"
            )
        }
        for copy in copies.sorted() {
            if case .vertex(let original) = equations[copy - 1].operands[0] {
                notes.append(
                    "output vertex \(original) is also read by later equations: ccelim eliminates it (the output is its copy, vertex \(copy), which is not a jaxpr equation and is left out)"
                )
            }
        }
        self.notes = notes
    }

    public var json: JSON {
        .object([
            ("task", .string(task)),
            ("jax_version", jaxVersion.map { .string($0) } ?? .string("unknown")),
            ("jax_version_source", .string(jaxVersionSource)),
            ("order", .ints(order)),
            ("vertices", .array(vertices.map { .array([.int($0.index), .string($0.primitive)]) })),
            ("notes", .array(notes.map { .string($0) })),
        ])
    }

    /// The lines for people: the order ready to paste into Python, then the notes.
    public var lines: [String] {
        [
            "\(task): jacve(f, order=[\(order.map(String.init).joined(separator: ", "))])",
            "jax: \(jaxVersion ?? "unknown") (\(jaxVersionSource))",
            "vertices: " + vertices.map { "\($0.index) \($0.primitive)" }.joined(separator: ", "),
        ] + notes.map { "note: \($0)" }
    }

    /// The first "JAX x.y.z" a README states (Datasets/README.md: the tasks' jaxprs are JAX 0.4.25;
    /// Datasets/corpus/README.md: 0.4.38), nil if none.
    public static func jaxVersion(inReadme text: String) -> String? {
        var rest = Substring(text)
        while let range = rest.range(of: "JAX ") {
            let after = rest[range.upperBound...]
            var version = after.prefix { $0.isNumber || $0 == "." }
            while version.hasSuffix(".") { version = version.dropLast() }
            let parts = version.split(separator: ".", omittingEmptySubsequences: false)
            if parts.count >= 2, parts.allSatisfy({ !$0.isEmpty }) { return String(version) }
            rest = after
        }
        return nil
    }
}
