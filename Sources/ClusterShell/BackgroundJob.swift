import Foundation

/// Runs one long computation (a batch of rollouts, a PPO update) on its own thread, so the role's
/// loop keeps answering and heartbeating meanwhile. The loop polls `result` between socket polls.
/// A job that asks `isCancelled` can be cut short with `cancel()` (an actor told that training
/// is over abandons its batch).
final class BackgroundJob<Value>: @unchecked Sendable {
    private let lock = NSCondition()
    private var outcome: Result<Value, Error>?
    private var cancelled = false

    convenience init(_ work: @escaping () throws -> Value) {
        self.init(cancellable: { _ in try work() })
    }

    /// A job whose work may look at `isCancelled` (passed in) and stop early when it is true.
    init(cancellable work: @escaping (_ isCancelled: @escaping () -> Bool) throws -> Value) {
        let thread = Thread { [self] in
            let r = Result { try work { self.isCancelled } }
            lock.lock()
            outcome = r
            lock.broadcast()
            lock.unlock()
        }
        // The policy's activations for a big batch live on the heap; the default stack is enough.
        thread.start()
    }

    /// Asks the work to stop early; its result (likely an error) is then of no use.
    func cancel() { lock.withLock { cancelled = true } }

    var isCancelled: Bool { lock.withLock { cancelled } }

    /// Blocks until the work is done. A role calls it before its process exits: OpenBLAS frees
    /// its buffers at exit, and a thread still inside a matrix product would then crash.
    func wait() {
        lock.lock()
        while outcome == nil { lock.wait() }
        lock.unlock()
    }

    /// nil while running.
    var result: Result<Value, Error>? {
        lock.lock()
        defer { lock.unlock() }
        return outcome
    }
}
