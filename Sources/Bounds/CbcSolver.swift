import CCbc
import Dispatch
import Foundation

/// The thin shell over COIN-OR CBC's C interface (Debian's coinor-libcbc-dev, installed by
/// Ops/install-deps): loads a MixedIntegerModel, solves it single-threaded within a time budget on
/// CBC's own clock, and returns what CBC proved. All modelling is in the pure MixedIntegerModel.
struct CbcSolver {
    struct Result {
        /// The best solution CBC found (objective below the cutoff), nil when none.
        var solution: [Double]?
        /// Its objective, the model's offset included.
        var objective: Double?
        /// CBC's proven lower bound on every solution below the cutoff (offset included); when
        /// `exhausted`, every solution below the cutoff is `solution` or none exists.
        var bestPossible: Double
        /// The search tree was closed: `solution` is optimal, or nothing lies below the cutoff.
        var exhausted: Bool
        var nodes: Int
    }

    /// Time budget in seconds; CPU time of this process by default (one thread), wall time when
    /// `wallClock`.
    var seconds: Double
    var wallClock = false
    /// Only solutions with objective below this are sought (offset included); nil: no cutoff.
    var cutoff: Double?
    /// CBC's log level (0 = silent).
    var logLevel = 0
    /// More CBC command-line parameters (name, value), e.g. ("feas", "off"), set before solving.
    var parameters: [(name: String, value: String)] = []

    /// One solve at a time in the process: CBC's solver keeps state in globals (its command
    /// reader's), and a solve left running by `solve(_:start:stop:)` may still be going.
    private static let exclusive = NSLock()

    func solve(_ model: MixedIntegerModel, start: [(column: Int, value: Double)] = []) -> Result {
        Self.exclusive.lock()
        defer { Self.exclusive.unlock() }
        guard let cbc = Cbc_newModel() else { fatalError("Cbc_newModel returned NULL (out of memory)") }
        defer { Cbc_deleteModel(cbc) }
        load(model, into: cbc, integers: true)
        if !start.isEmpty {
            Cbc_setMIPStartI(cbc, Int32(start.count), start.map { Int32($0.column) }, start.map(\.value))
        }
        _ = Cbc_solve(cbc)
        var solution: [Double]?
        var objective: Double?
        if let best = Cbc_bestSolution(cbc) {
            solution = Array(UnsafeBufferPointer(start: best, count: model.columnCount))
            objective = model.objectiveValue(solution!)
        }
        // Secondary status 0 (search completed) or 1 (relaxation infeasible or above the cutoff):
        // the tree is closed.
        let exhausted =
            Cbc_isProvenOptimal(cbc) != 0 || Cbc_isProvenInfeasible(cbc) != 0
            || (Cbc_status(cbc) == 0 && [0, 1].contains(Cbc_secondaryStatus(cbc)))
        return Result(
            solution: solution, objective: objective,
            bestPossible: Cbc_getBestPossibleObjValue(cbc) + model.objectiveOffset, exhausted: exhausted,
            nodes: Int(Cbc_getNodeCount(cbc)))
    }

    /// `solve` on a thread of its own while this one asks `stop` every `pollSeconds`: once it says
    /// stop, returns nil at once and leaves CBC to run on to its own time limit, its result unread
    /// (the next solve waits for it).
    /// CBC 2.10's C interface has no way to stop a solve early (only a message callback), so a
    /// user's Ctrl-C (`ccelim bound --method ilp`) would otherwise wait for the budget; the CLI
    /// exits right after, ending the thread with the process. Not stopped, the result of `solve`.
    func solve(
        _ model: MixedIntegerModel, start: [(column: Int, value: Double)] = [], stop: () -> Bool,
        pollSeconds: Double = 0.05
    ) -> Result? {
        let outcome = SolveOutcome()
        let solver = self
        let thread = Thread {
            let result = solver.solve(model, start: start)
            outcome.finish(result)
        }
        // CBC ran on the main thread (8 MB of stack) before; room to spare, as a secondary thread's
        // default may be smaller.
        thread.stackSize = 64 << 20
        thread.start()
        while true {
            if let result = outcome.wait(seconds: pollSeconds) { return result }
            if stop() { return nil }
        }
    }

    /// The model's linear relaxation (every column continuous; Clp inside CBC): the column values
    /// of an optimal vertex, nil when no optimum was proven (e.g. out of time). The values are
    /// floating point: callers that claim a bound from them must check them exactly
    /// (FractionalPacking.rounded does).
    func solveRelaxation(_ model: MixedIntegerModel) -> [Double]? {
        guard model.columnCount > 0 else { return [] }
        Self.exclusive.lock()
        defer { Self.exclusive.unlock() }
        guard let cbc = Cbc_newModel() else { fatalError("Cbc_newModel returned NULL (out of memory)") }
        defer { Cbc_deleteModel(cbc) }
        load(model, into: cbc, integers: false)
        _ = Cbc_solve(cbc)
        guard Cbc_isProvenOptimal(cbc) != 0, let values = Cbc_getColSolution(cbc) else { return nil }
        return Array(UnsafeBufferPointer(start: values, count: model.columnCount))
    }

    /// Loads the model and this solver's settings into `cbc` (integer columns only if `integers`).
    private func load(_ model: MixedIntegerModel, into cbc: UnsafeMutableRawPointer, integers: Bool) {
        let (starts, rows, values) = model.columnMajor()
        let starts32 = starts.map { Int32($0) }
        let rowIndices = rows.map { Int32($0) }
        let lower = model.lower, upper = model.upper.map { $0.isInfinite ? Double.greatestFiniteMagnitude : $0 }
        let rowLower = model.rowLower.map { $0 == -.infinity ? -Double.greatestFiniteMagnitude : $0 }
        let rowUpper = model.rowUpper.map { $0 == .infinity ? Double.greatestFiniteMagnitude : $0 }
        Cbc_loadProblem(
            cbc, Int32(model.columnCount), Int32(model.rowCount), starts32, rowIndices, values, lower, upper,
            model.objective, rowLower, rowUpper)
        for j in 0..<model.columnCount where integers && model.isInteger[j] { Cbc_setInteger(cbc, Int32(j)) }
        Cbc_setObjSense(cbc, 1)
        Cbc_setLogLevel(cbc, Int32(logLevel))
        Cbc_setMaximumSeconds(cbc, max(seconds, 0.01))
        if wallClock { Cbc_setParameter(cbc, "timeMode", "elapsed") }
        // One thread: the machine is shared (threads 0 = CBC's serial code).
        Cbc_setParameter(cbc, "threads", "0")
        for (name, value) in parameters { Cbc_setParameter(cbc, name, value) }
        if let cutoff { Cbc_setCutoff(cbc, cutoff - model.objectiveOffset) }
    }
}

/// The result of a solve on another thread, handed over once: `wait` returns it when it is there
/// within the time given.
private final class SolveOutcome: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var result: CbcSolver.Result?

    func finish(_ result: CbcSolver.Result) {
        lock.withLock { self.result = result }
        done.signal()
    }

    func wait(seconds: Double) -> CbcSolver.Result? {
        guard done.wait(timeout: .now() + seconds) == .success else { return nil }
        return lock.withLock { result }
    }
}
