import Foundation

/// Runs one long computation (a batch of rollouts, a PPO update) on its own thread, so the role's
/// loop keeps answering and heartbeating meanwhile. The loop polls `result` between socket polls.
final class BackgroundJob<Value>: @unchecked Sendable {
    private let lock = NSCondition()
    private var outcome: Result<Value, Error>?

    init(_ work: @escaping () throws -> Value) {
        let thread = Thread { [self] in
            let r = Result { try work() }
            lock.lock()
            outcome = r
            lock.broadcast()
            lock.unlock()
        }
        // The policy's activations for a big batch live on the heap; the default stack is enough.
        thread.start()
    }

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
