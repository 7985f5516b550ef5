#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

// The CPU clocks: the one copy every module reads (benchmarks, `bench bound`'s budget, the
// coordinator's own CPU in `CoordinatorTraffic`). Here, in the lowest module, so a shell and a
// benchmark share it without one importing the other.

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
