import Foundation

/// A small SVG line chart of a training curve: cost against wall time, best so far and batch
/// mean, with the baselines as dashed lines. Plain SVG so it renders on GitHub and in browsers.
public enum CurvePlot {
    public static func svg(
        title: String, time: [Double], best: [Int], mean: [Double], references: [(String, Int)]
    ) -> String {
        let width = 640.0, height = 360.0, left = 60.0, right = 20.0, top = 30.0, bottom = 40.0
        let tMax = max(time.max() ?? 1, 1e-9)
        let values = best.map(Double.init) + mean + references.map { Double($0.1) }
        let yMin = (values.min() ?? 0) * 0.95, yMax = (values.max() ?? 1) * 1.02
        func x(_ t: Double) -> Double { left + (width - left - right) * t / tMax }
        func y(_ v: Double) -> Double { top + (height - top - bottom) * (1 - (v - yMin) / max(yMax - yMin, 1e-9)) }
        func path(_ points: [(Double, Double)]) -> String {
            points.enumerated().map { i, p in String(format: "%@%.1f,%.1f", i == 0 ? "M" : " L", x(p.0), y(p.1)) }
                .joined()
        }
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" font-family="sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(Int(left))" y="18" font-size="14">\(escape(title))</text>
            <line x1="\(left)" y1="\(height - bottom)" x2="\(width - right)" y2="\(height - bottom)" stroke="black"/>
            <line x1="\(left)" y1="\(top)" x2="\(left)" y2="\(height - bottom)" stroke="black"/>
            <text x="\(Int(width / 2))" y="\(Int(height - 8))" text-anchor="middle">wall time (s), 0 … \(String(format: "%.0f", tMax))</text>
            <text x="14" y="\(Int(height / 2))" transform="rotate(-90 14 \(Int(height / 2)))" text-anchor="middle">multiplications</text>

            """
        for tick in stride(from: 0.0, through: 1.0, by: 0.25) {
            let v = yMin + (yMax - yMin) * tick
            out +=
                "<text x=\"\(Int(left - 6))\" y=\"\(Int(y(v)) + 4)\" text-anchor=\"end\">\(Int(v.rounded()))</text>\n"
        }
        for (i, (name, cost)) in references.enumerated() {
            let yy = y(Double(cost))
            out +=
                "<line x1=\"\(left)\" y1=\"\(yy)\" x2=\"\(width - right)\" y2=\"\(yy)\" stroke=\"gray\" stroke-dasharray=\"4 4\"/>\n"
            out +=
                "<text x=\"\(Int(width - right - 4))\" y=\"\(Int(yy) - 3 - 12 * (i % 2))\" text-anchor=\"end\" fill=\"gray\">\(escape(name)) \(cost)</text>\n"
        }
        out +=
            "<path d=\"\(path(zip(time, mean).map { ($0, $1) }))\" fill=\"none\" stroke=\"#9ab\" stroke-width=\"1.5\"/>\n"
        out +=
            "<path d=\"\(path(zip(time, best).map { ($0, Double($1)) }))\" fill=\"none\" stroke=\"#c22\" stroke-width=\"2\"/>\n"
        out += "<text x=\"\(Int(width / 2))\" y=\"\(Int(top + 12))\" fill=\"#c22\">best so far</text>\n"
        out += "<text x=\"\(Int(width / 2))\" y=\"\(Int(top + 26))\" fill=\"#79a\">batch mean</text>\n"
        return out + "</svg>\n"
    }

    private static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(
            of: ">", with: "&gt;")
    }
}
