import Console

/// What `ccelim bound` reports: a proven lower bound on the optimal cost of a program, the best
/// order known and its cost, and how far apart they are.
public struct BoundReport: Sendable {
    public enum Status: String, Sendable {
        /// lower bound == best cost: the best order is optimal.
        case optimal
        /// The optimum lies in [lower bound, best cost], lower bound > 0.
        case bounded
        /// No nontrivial lower bound is proven (only 0, e.g. a large typed graph): nothing is known
        /// about how far the best order is from optimal; `reason` says why.
        case unbounded
    }

    public var program: String
    public var eliminable: Int
    /// Proven: no order costs less.
    public var lowerBound: Int
    public var bestCost: Int
    public var bestOrder: [Int]
    /// Where the best order came from ("best-orders.json", "markowitz-rev", "a-star", …).
    public var bestSource: String
    /// How the lower bound was proven: "a-star" or "ilp-cbc" (scalar graphs), "cut" (scalar graphs
    /// too large for the set-keyed search: CutBound's start terms), "exact-dp" (small typed graphs),
    /// "none" (typed graphs too large for the exact search: only the trivial bound 0).
    public var method: String
    /// Columns and rows of the integer program (method "ilp-cbc"; nil otherwise).
    public var model: (columns: Int, rows: Int)?
    /// The bound before any search (the start bound; scalar graphs only).
    public var rootBound: Int?
    public var expanded: Int
    public var states: Int
    /// Why the search stopped ("proven", "time-limit", "state-limit", "not-run", "interrupted":
    /// BoundRun.interrupted).
    public var stop: String
    public var seconds: Double
    /// Why the status is `unbounded` (nil otherwise).
    public var reason: String?
    /// Facts a reader needs (an ignored stored order, why a typed graph gets no bound, …).
    public var notes: [String]
    /// One block of the start packing (a start group, or a vertex outside them that pays or has a
    /// positive cut term): its share of the start bound and what the best order pays for its members.
    public struct Share: Sendable, Equatable {
        public var members: [Int]
        public var bound: Int
        public var paid: Int
    }
    /// Where the best order pays more than the start bound (`bound --shares`; nil when not asked or
    /// not computed): every block, those paying most above their share first. The paid sum to the best
    /// cost; every block pays at least its share.
    public var shares: [Share]? = nil

    public var status: Status {
        if lowerBound == bestCost { return .optimal }
        return lowerBound > 0 ? .bounded : .unbounded
    }

    /// (best − lower) / lower: how far above the optimum the best order can be at most. 0 when
    /// proven optimal; nil when the lower bound is 0 and the best cost is not.
    public var gap: Double? {
        if lowerBound == bestCost { return 0 }
        guard lowerBound > 0 else { return nil }
        return Double(bestCost - lowerBound) / Double(lowerBound)
    }

    public var json: JSON {
        .object([
            ("program", .string(program)), ("eliminable", .int(eliminable)),
            ("lower_bound", .int(lowerBound)), ("best_cost", .int(bestCost)), ("best_order", .ints(bestOrder)),
            ("gap", gap.map { .double(($0 * 1e6).rounded() / 1e6) } ?? .null), ("status", .string(status.rawValue)),
            ("seconds", .double((seconds * 1000).rounded() / 1000)), ("method", .string(method)),
            ("root_bound", rootBound.map { .int($0) } ?? .null), ("best_source", .string(bestSource)),
            ("expanded", .int(expanded)), ("states", .int(states)), ("stop", .string(stop)),
            ("reason", status == .unbounded ? .string(reason ?? "no lower bound above 0 was proven") : .null),
            ("model_columns", model.map { .int($0.columns) } ?? .null),
            ("model_rows", model.map { .int($0.rows) } ?? .null),
            ("notes", .array(notes.map { .string($0) })),
            (
                "shares",
                shares.map { rows in
                    .array(
                        rows.map {
                            .object([
                                ("members", .ints($0.members)), ("bound", .int($0.bound)), ("paid", .int($0.paid)),
                            ])
                        })
                } ?? .null
            ),
        ])
    }

    /// The human-readable form.
    public var lines: [String] {
        let gapText = gap.map { String(format: "%.2f%%", $0 * 100) } ?? "unknown (no lower bound above 0)"
        var out = [
            "\(program): \(eliminable) eliminable vertices",
            "  best cost   \(bestCost)  (\(bestSource))",
            "  lower bound \(lowerBound)  (\(method)\(rootBound.map { ", \($0) before search" } ?? ""))",
            "  gap         \(gapText)",
            "  status      \(status.rawValue)  (\(stop), "
                + (model.map { "\(expanded) CBC nodes, integer program of \($0.columns) columns and \($0.rows) rows, " }
                    ?? "\(expanded) states expanded, \(states) kept, ") + String(format: "%.1f s)", seconds),
            "  best order  \(bestOrder.map(String.init).joined(separator: ","))",
        ]
        out += notes.filter { $0 != reason }.map { "  note: \($0)" }
        if status == .unbounded { out.append("  reason      \(reason ?? "no lower bound above 0 was proven")") }
        if let shares {
            let over = shares.filter { $0.paid > $0.bound }
            out.append(
                "  shares      \(over.count) of \(shares.count) start blocks pay more than their share of the start bound"
                    + (over.isEmpty ? "" : ":"))
            for row in over {
                out.append(
                    "    \(row.members.map { "v\($0)" }.joined(separator: " ")): bound \(row.bound), paid \(row.paid), excess \(row.paid - row.bound)"
                )
            }
        }
        return out
    }
}
