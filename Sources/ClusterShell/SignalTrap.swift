#if canImport(Glibc)
import Glibc
#endif

/// The last SIGINT/SIGTERM received (0: none). Written by the handler only; a role's poll loop
/// checks it between polls (a signal also interrupts zmq_poll, so it is seen at once).
nonisolated(unsafe) private var receivedSignal: sig_atomic_t = 0

/// SIGINT and SIGTERM turn into a flag that role loops poll, instead of killing the process in
/// the middle of a checkpoint or a send.
public enum SignalTrap {
    public static func install() {
        for s in [SIGINT, SIGTERM] {
            signal(s) { receivedSignal = $0 }
        }
        // A peer that vanished must not kill us through a write to its pipe.
        signal(SIGPIPE, SIG_IGN)
    }

    public static var received: Int32 { Int32(receivedSignal) }
    public static var stopRequested: Bool { receivedSignal != 0 }
}
