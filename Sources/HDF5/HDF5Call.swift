internal import CHDF5
internal import CHDF5Shims

// The one chokepoint every HDF5 C call goes through. The call is an autoclosure so that the
// calling thread's automatic error printing is switched off *before* HDF5 runs: the Debian
// build is thread-safe, which makes the error stack (and its auto-print setting) per thread,
// so a once-per-process H5Eset_auto2 would still let other threads spray stderr.

/// Runs one HDF5 call that returns an id, a status or a count; negative means failure.
@discardableResult
func check<R: BinaryInteger>(
    _ call: @autoclosure () -> R, _ operation: @autoclosure () -> String,
    path: String, object: String? = nil
) throws -> R {
    silenceAutomaticErrorPrinting()
    let result = call()
    if result < 0 {
        throw HDF5Error(.library, operation(), path: path, object: object, stack: drainErrorStack())
    }
    return result
}

/// Runs one HDF5 call returning htri_t (positive true, zero false, negative failure).
func checkBool(
    _ call: @autoclosure () -> htri_t, _ operation: @autoclosure () -> String,
    path: String, object: String? = nil
) throws -> Bool {
    try check(call(), operation(), path: path, object: object) > 0
}

/// For calls whose failure is not a negative integer (a NULL pointer, size 0, H5T_NO_CLASS):
/// the caller decides it failed, this collects HDF5's explanation.
func libraryError(_ operation: String, path: String, object: String? = nil) -> HDF5Error {
    HDF5Error(.library, operation, path: path, object: object, stack: drainErrorStack())
}

/// Calls whose result tells failure in a way `check` cannot see must still run silenced.
func silenced<R>(_ call: () -> R) -> R {
    silenceAutomaticErrorPrinting()
    return call()
}

/// Also the first thing any HDF5 call runs, so it initialises the library (HDF5Library) first.
func silenceAutomaticErrorPrinting() {
    HDF5Library.prepare()
    _ = H5Eset_auto2(ccelim_h5e_default(), nil, nil)
}

/// Reads this thread's HDF5 error stack into strings and clears it. The stack is copied out
/// first (H5Eget_current_stack also clears it) because H5Eget_msg is itself an API call that
/// would clear the live stack mid-walk; messages are looked up after the walk for the same reason.
private func drainErrorStack() -> [String] {
    struct Entry { var function: String; var text: String; var major: hid_t; var minor: hid_t }
    final class Entries { var items: [Entry] = [] }
    let copy = H5Eget_current_stack()
    guard copy >= 0 else { return ["(HDF5 error stack unavailable)"] }
    defer { _ = H5Eclose_stack(copy) }
    let entries = Entries()
    _ = withExtendedLifetime(entries) {
        H5Ewalk2(
            copy, H5E_WALK_DOWNWARD,
            { _, entry, client in
                guard let entry, let client else { return 0 }
                let e = entry.pointee
                Unmanaged<Entries>.fromOpaque(client).takeUnretainedValue().items.append(
                    Entry(
                        function: e.func_name.map { String(cString: $0) } ?? "?",
                        text: e.desc.map { String(cString: $0) } ?? "",
                        major: e.maj_num, minor: e.min_num))
                return 0
            }, Unmanaged.passUnretained(entries).toOpaque())
    }
    return entries.items.map {
        "\($0.function)(): \($0.text) (\(errorMessage($0.major)): \(errorMessage($0.minor)))"
    }
}

private func errorMessage(_ id: hid_t) -> String {
    var buffer = [CChar](repeating: 0, count: 256)
    let n = H5Eget_msg(id, nil, &buffer, buffer.count)
    return n > 0 ? String(cString: buffer) : "?"
}
