import CProcessShims
#if canImport(Glibc)
import Glibc
#endif

/// Children of `ccelim train` and `ccelim worker` die with their parent, even a SIGKILLed one
/// (PR_SET_PDEATHSIG): no orphan keeps a port or a core busy.
public enum ParentDeath {
    /// Asks for SIGTERM when the parent dies; if the parent is already gone (it died before we
    /// got here and we were re-parented), stops at once. `expectedParent` is the pid the parent
    /// passed down.
    public static func terminateWithParent(expectedParent: Int32) {
        _ = ccelim_set_parent_death_signal(SIGTERM)
        if getppid() != expectedParent { raise(SIGTERM) }
    }
}
