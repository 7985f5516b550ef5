import Foundation
import NeuralNet

/// OpenBLAS 0.3.21 (Debian 12) does not recognise some recent Xeons and falls back to its SSE3
/// "Prescott" kernels; on this project's machine its own AVX2 "Haswell" kernels run the policy's
/// products about 1.5× faster. OpenBLAS reads OPENBLAS_CORETYPE only when it is loaded, so a
/// command that trains re-executes itself once with the variable set — only when the user has not
/// set it and the CPU reports AVX2 and FMA (which those kernels need). Set OPENBLAS_CORETYPE
/// yourself to choose otherwise. ccelim then runs one BLAS thread per process: its matrices are
/// small and its parallelism comes from processes (actors) and the learner's two networks.
enum BLASSetup {
    static func prepare() {
        let env = ProcessInfo.processInfo.environment
        if env["OPENBLAS_CORETYPE"] == nil, env["CCELIM_BLAS_REEXEC"] == nil, cpuHasAVX2AndFMA() {
            setenv("OPENBLAS_CORETYPE", "Haswell", 1)
            setenv("CCELIM_BLAS_REEXEC", "1", 1)
            let args = CommandLine.arguments.map { strdup($0) } + [nil]
            execv("/proc/self/exe", args)
            // execv returns only on failure: carry on with the default kernels.
        }
        setBLASThreads(1)
    }

    private static func cpuHasAVX2AndFMA() -> Bool {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
            let flags = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") })
        else { return false }
        let set = Set(flags.split(separator: " "))
        return set.contains("avx2") && set.contains("fma")
    }
}
