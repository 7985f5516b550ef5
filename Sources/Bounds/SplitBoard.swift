import Foundation

/// The open leaves of PrecedenceSplit shared by its workers, behind one lock: a worker takes the
/// least leaf no one holds, and the leaf stays on the board (held) until the worker puts it back
/// guided or replaces it by its children, so the least leaf on the board, held or not, is the bound
/// so far. With one worker the steps are those of a single loop: the least leaf is the first of the
/// least in the board's order, a guided leaf keeps its place, children are appended.
final class SplitBoard: @unchecked Sendable {
    private struct Entry {
        let id: Int
        var node: PrecedenceSplit.Node
        var held: Bool
    }
    private let lock = NSLock()
    private var open: [Entry]
    private var nextID = 1
    private var done = false
    private var upper: Int
    private(set) var evaluated = 1
    private(set) var splits = 0
    private(set) var timedOut = false
    private(set) var record: (order: [Int], cost: Int)?
    private(set) var guideLog: [(depth: Int, bound: Int, cost: Int, kept: Int)] = []

    init(root: PrecedenceSplit.Node, upper: Int) {
        open = [Entry(id: 0, node: root, held: false)]
        self.upper = upper
    }

    /// The least leaf no worker holds, now held, with the best known cost; nil when the board is done
    /// (the least leaf reached the best cost, no leaf is left, the node limit or the deadline). Waits
    /// while every leaf below the best cost is held by another worker.
    func take(
        nodeLimit: Int, deadline: Deadline,
        progress: ((_ lower: Int, _ upper: Int, _ splits: Int, _ open: Int) -> Void)?
    ) -> (id: Int, node: PrecedenceSplit.Node, upper: Int)? {
        while true {
            lock.lock()
            if done {
                lock.unlock()
                return nil
            }
            var least = Int.max, free: Int?
            for k in open.indices {
                let total = open[k].node.total
                least = min(least, total)
                if !open[k].held, free == nil || total < open[free!].node.total { free = k }
            }
            progress?(min(least, upper), upper, splits, open.count)
            if open.isEmpty || least >= upper || evaluated >= nodeLimit {
                done = true
            } else if deadline.passed() {
                done = true
                timedOut = true
            }
            if done {
                lock.unlock()
                return nil
            }
            if let k = free, open[k].node.total < upper {
                open[k].held = true
                let taken = (open[k].id, open[k].node, upper)
                lock.unlock()
                return taken
            }
            lock.unlock()
            usleep(200)
        }
    }

    /// Puts a held leaf back with its guide; a guide cheaper than the best cost is the new record.
    func guided(
        _ id: Int, _ node: PrecedenceSplit.Node, record found: (order: [Int], cost: Int)?,
        log: (depth: Int, bound: Int, cost: Int, kept: Int)?, timedOut: Bool
    ) {
        lock.lock()
        defer { lock.unlock() }
        if let k = open.firstIndex(where: { $0.id == id }) { open[k] = Entry(id: id, node: node, held: false) }
        if let found, found.cost < upper {
            upper = found.cost
            record = found
        }
        if let log { guideLog.append(log) }
        if timedOut {
            done = true
            self.timedOut = true
        }
    }

    /// Replaces a held leaf by its two children (those below the best cost), or, with nil, puts it
    /// back as it is and ends the board (out of time, or a leaf with no pair left to split: its
    /// bound is final).
    func split(_ id: Int, into children: [PrecedenceSplit.Node]?, evaluated count: Int, timedOut outOfTime: Bool) {
        lock.lock()
        defer { lock.unlock() }
        evaluated += count
        guard let k = open.firstIndex(where: { $0.id == id }) else { return }
        guard let children else {
            open[k].held = false
            done = true
            timedOut = timedOut || outOfTime
            return
        }
        splits += 1
        open.remove(at: k)
        for leaf in children where leaf.total < upper {
            open.append(Entry(id: nextID, node: leaf, held: false))
            nextID += 1
        }
    }

    /// The bound (the least leaf, at most the best cost) and the open leaves below the best cost.
    func finish() -> (Int, [(depth: Int, bound: Int)]) {
        lock.lock()
        defer { lock.unlock() }
        let leaves = open.filter { $0.node.total < upper }.map { ($0.node.precedences.count, $0.node.total) }
        return (min(open.map(\.node.total).min() ?? upper, upper), leaves)
    }
}
