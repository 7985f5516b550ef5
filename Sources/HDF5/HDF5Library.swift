#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import Foundation
internal import CHDF5
internal import CHDF5Shims

/// The HDF5 library's process-wide state, owned here rather than by HDF5's own `atexit` hook.
///
/// Why: when H5Fclose fails to flush (a full disk, an I/O error), HDF5 1.10 frees the file
/// but leaves its id registered (H5I only unregisters on a successful free). Touching that id
/// again — H5Dclose on one of its datasets, a second H5Fclose, closing another file whose object
/// list walks it, or HDF5's own shutdown at exit, which closes every id — dereferences freed
/// memory: SIGSEGV. So (1) HDF5's exit hook is never installed (H5dont_atexit, called by a
/// load-time constructor in CHDF5Shims, since the access-flag macros initialise the library);
/// (2) a writable file is flushed before it is closed, and if the flush fails it is *abandoned*
/// rather than closed (HDF5File.close): HDF5's memory for it stays valid and neither it nor
/// any object opened from it is handed to HDF5 again; (3) at exit the wrapper closes only the
/// files that are still healthy, so their buffered data reaches the disk as before.
enum HDF5Library {
    /// Must run before any other HDF5 call; the chokepoint (`check`, `silenced`) calls it.
    static func prepare() {
        _ = initialised
    }

    private static let initialised: Bool = {
        _ = H5dont_atexit()  // no effect if the shim's constructor already initialised HDF5 (it did)
        _ = H5open()
        atexit { HDF5Library.closeHealthyFiles() }
        return true
    }()

    private static let registry = Registry()

    /// Open files the wrapper created or opened, and files given up after a failed close.
    private final class Registry: @unchecked Sendable {
        let lock = NSLock()
        var open: Set<hid_t> = []
        var abandoned: Set<hid_t> = []
    }

    static func didOpen(_ id: hid_t) {
        registry.lock.withLock { _ = registry.open.insert(id) }
    }

    static func didClose(_ id: hid_t) {
        registry.lock.withLock { _ = registry.open.remove(id) }
    }

    /// A file whose close failed: its id must never reach HDF5 again.
    static func didAbandon(_ id: hid_t) {
        registry.lock.withLock {
            registry.open.remove(id)
            registry.abandoned.insert(id)
        }
    }

    /// Files open and healthy now.
    static var openFiles: [hid_t] {
        registry.lock.withLock { Array(registry.open) }
    }

    /// How many files were given up after a failed close in this process.
    static var abandonedFileCount: Int {
        registry.lock.withLock { registry.abandoned.count }
    }

    /// The exit hook: what HDF5's own hook would do for healthy files (flush and close them),
    /// without touching abandoned ones. Errors have nowhere to go at exit and are dropped.
    /// A writable file is flushed first and left alone if that fails, as in HDF5File.close.
    private static func closeHealthyFiles() {
        for id in openFiles {
            silenceAutomaticErrorPrinting()
            guard H5Iis_valid(id) > 0 else { continue }
            var intent: UInt32 = 0
            let writable = H5Fget_intent(id, &intent) >= 0 && intent & ccelim_h5f_acc_rdwr() != 0
            if writable, H5Fflush(id, H5F_SCOPE_GLOBAL) < 0 { continue }
            _ = H5Fclose(id)
        }
    }
}
