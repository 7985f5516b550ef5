import Foundation
import Wire

/// The train command's progress: a status line rewritten in place on a terminal (children's log
/// lines printed above it, so it stays whole), a plain line every 10 s when piped (stderr when
/// stdout carries JSON). The rate is episodes over the last `rateWindow` seconds of status
/// replies, so it stays steady between the actors' batches instead of alternating with 0.
final class ProgressLine {
    let toStderr: Bool
    let isTerminal: Bool
    static let rateWindow = 30.0
    private let lock = NSLock()
    private var lastLine = Date.distantPast
    private var statusText: String?
    private var samples: [(seconds: Double, episodes: UInt64)] = []

    init(toStderr: Bool) {
        self.toStderr = toStderr
        isTerminal = isatty(toStderr ? 2 : 1) == 1
    }

    func line(_ s: String) {
        lock.withLock {
            clearStatus()
            write(s + "\n")
        }
    }

    /// A child's log line (any thread): on stderr, above the status line.
    func childLine(_ s: String) {
        lock.withLock {
            let shown = statusText
            clearStatus()
            FileHandle.standardError.write(Data((s + "\n").utf8))
            if let shown { drawStatus(shown) }
        }
    }

    func status(_ s: StatusReply, seconds: Double) {
        let actors = s.peers.filter { $0.role == .actor }
        let episodes = actors.reduce(0) { $0 + $1.episodes }
        samples.append((seconds, episodes))
        samples.removeAll { seconds - $0.seconds > Self.rateWindow }
        let first = samples[0]
        let rate =
            seconds - first.seconds >= 1 && episodes >= first.episodes
            ? Double(episodes - first.episodes) / (seconds - first.seconds)
            : Double(actors.reduce(Float(0)) { $0 + $1.episodesPerSecond })
        let best = s.tasks.compactMap(\.bestCost).map(String.init).joined(separator: "/")
        let text = String(
            format: "%6.0f s  weights v%llu  %d actors  %llu episodes  %.1f episodes/s  best %@",
            seconds, s.weightsVersion, actors.count, episodes, rate, best.isEmpty ? "-" : best)
        lock.withLock {
            if isTerminal {
                clearStatus()
                drawStatus(text)
            } else if Date().timeIntervalSince(lastLine) >= 10 {
                lastLine = Date()
                write(text + "\n")
            }
        }
    }

    func finish() {
        lock.withLock {
            if statusText != nil { write("\n") }
            statusText = nil
        }
    }

    private func drawStatus(_ text: String) {
        write(text)
        statusText = text
    }

    private func clearStatus() {
        if statusText != nil { write("\r\u{1B}[2K") }
        statusText = nil
    }

    private func write(_ s: String) {
        FileHandle(fileDescriptor: toStderr ? 2 : 1).write(Data(s.utf8))
    }
}
