import Foundation

/// The file of the running ccelim executable, symlinks resolved.
///
/// Linux's /proc/self/exe names it however the program was started; `CommandLine.arguments[0]`
/// does not: a shell that found `ccelim` on $PATH passes the bare name, which is no path at all.
/// The first argument is the fallback where /proc is missing.
public enum RunningExecutable {
    public static var url: URL {
        if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return URL(fileURLWithPath: target)
        }
        return URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    }
}
