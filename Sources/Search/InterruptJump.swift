/// How a run stops early on the user's request without losing what it found: its budgets are
/// measured on a clock that reads `clock() + (interrupted() ? InterruptJump.seconds : 0)`, so once
/// the user asks (the CLI: SIGINT or SIGTERM) every deadline has passed and each phase stops at its
/// next look at the clock, exactly as at the end of its budget, and returns its best so far. The
/// seconds a run reports are measured on the clock itself. Used by `ccelim bound` (BoundRun) and
/// `ccelim optimize` (ProgramOptimizer).
public enum InterruptJump {
    /// Past any budget (about 31 years), small enough that clock arithmetic stays exact to the
    /// microsecond.
    public static let seconds = 1e9
}
