import Dispatch

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

// The clocks: the one copy every module reads (benchmarks, the commands' budgets, the cluster
// shells' ticks, `bench bound`'s CPU budget, the coordinator's own CPU in `CoordinatorTraffic`). Here, in the
// lowest module, so a shell, a command and a benchmark share them without importing each other.
// Cores never read them: they take a clock as a closure.

/// Seconds on the monotonic clock (since boot, never going backwards; the default clock of the
/// benchmarks and of the commands' wall-clock budgets).
public func monotonicSeconds() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

/// The same clock in whole milliseconds: the cluster shells' ticks and deadlines (their cores
/// compare these times, so wall-clock jumps must not declare peers dead).
public func monotonicMilliseconds() -> Int { Int(DispatchTime.now().uptimeNanoseconds / 1_000_000) }

/// The same clock in whole microseconds, for durations of work shorter than a millisecond.
public func monotonicMicroseconds() -> Int { Int(DispatchTime.now().uptimeNanoseconds / 1_000) }

/// CPU seconds of the calling thread: a per-core figure that a loaded machine does not inflate the
/// way it inflates wall time.
public func threadCPUSeconds() -> Double { seconds(of: CLOCK_THREAD_CPUTIME_ID) }

/// CPU seconds of the whole process (every thread: BLAS may use more than one).
public func processCPUSeconds() -> Double { seconds(of: CLOCK_PROCESS_CPUTIME_ID) }

private func seconds(of clock: clockid_t) -> Double {
    var t = timespec()
    clock_gettime(clock, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}
