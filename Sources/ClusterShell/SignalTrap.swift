#if canImport(Glibc)
import Glibc
#endif

/// The last SIGINT/SIGTERM received (0: none). Written by the handler only; a role's poll loop
/// checks it between polls (a signal also interrupts zmq_poll, so it is seen at once).
nonisolated(unsafe) private var receivedSignal: sig_atomic_t = 0

/// SIGINT and SIGTERM turn into a flag that role loops poll, instead of killing the process in
/// the middle of a checkpoint or a send.
public enum SignalTrap {
    /// `secondKills`: the first signal only sets the flag and puts the default action back, so a
    /// second one ends the process at once (a command that stops at its next check, where one
    /// phase may not check for a while: `ccelim bound`'s integer program).
    public static func install(secondKills: Bool = false) {
        for s in [SIGINT, SIGTERM] {
            if secondKills {
                signal(s) {
                    receivedSignal = $0
                    signal($0, SIG_DFL)
                }
            } else {
                signal(s) { receivedSignal = $0 }
            }
        }
        // A peer that vanished must not kill us through a write to its pipe.
        signal(SIGPIPE, SIG_IGN)
    }

    public static var received: Int32 { Int32(receivedSignal) }
    public static var stopRequested: Bool { receivedSignal != 0 }
}
