import Console
import Elimination
import Foundation
import TestFixtures
import XCTest
@testable import Reports

final class ResultsReportTests: XCTestCase {
    func testRowsRescoreOrdersAndCompareWithThePaper() throws {
        let spec = GameSpec(graph: try TestFixtures.chain())
        let b = BaselineSummary(spec: spec)
        var report = ResultsReport()
        // A stored cost is never trusted: the order is re-scored (markowitz order, stored as 1).
        try report.add(
            task: "cheaper", spec: spec, published: ["best_published_order_cost": b.markowitz + 5, "ppo": 7],
            best: ["order": b.markowitzOrder, "cost": 1, "method": "search"])
        try report.add(
            task: "equal", spec: spec, published: ["best_published_order_cost": b.markowitz],
            best: ["order": b.markowitzOrder])
        try report.add(task: "missing", spec: spec, published: [:], best: nil)
        XCTAssertEqual(report.rows.map(\.ccelimBest), [b.markowitz, b.markowitz, nil])
        XCTAssertEqual(report.rows[0].method, "search")
        XCTAssertEqual(report.rows[0].alphaGradLogs, [nil, 7, nil])
        XCTAssertTrue(report.comparison == (1, 1, 0))
        XCTAssertTrue(
            report.table.contains("| cheaper | \(b.forward) | \(b.reverse) | \(b.markowitz) | \(b.markowitz + 5) |"),
            report.table)
        XCTAssertTrue(report.table.contains("cheaper by 5"))
        XCTAssertTrue(
            report.section(plots: "").contains(
                "cheaper than AlphaGrad's best published order on 1 task, equal on 1, dearer on 0, and has no order yet for 1."
            ))
        guard case .array(let rows) = report.json, case .object(let fields) = rows[0] else {
            return XCTFail("not an array of objects")
        }
        XCTAssertEqual(
            fields.map(\.0),
            ["task", "forward", "reverse", "markowitz", "alphagrad_best_order", "ccelim_best", "method"])

        XCTAssertThrowsError(
            try report.add(task: "bad", spec: spec, published: [:], best: ["order": [1]]),
            "an invalid stored order is an error")
    }

    func testSectionReplacesOnlyTheMarkedPart() {
        let file = "# Results\n\nbefore\n\n\(ResultsReport.begin)\nold table\n\(ResultsReport.end)\n\nafter\n"
        let text = ResultsReport.replacingSection(in: file, with: "\(ResultsReport.begin)\nNEW\n\(ResultsReport.end)")
        XCTAssertEqual(text, "# Results\n\nbefore\n\n\(ResultsReport.begin)\nNEW\n\(ResultsReport.end)\n\nafter\n")
        XCTAssertEqual(ResultsReport.replacingSection(in: nil, with: "S"), "# Results\n\nS\n")
        XCTAssertEqual(ResultsReport.replacingSection(in: "# R\n", with: "S"), "# R\n\nS\n", "no markers: appended")
    }

    func testCurvePlotIsSVGWithEscapedTitleAndReferences() {
        let svg = CurvePlot.svg(
            title: "a<b & c", time: [0, 1, 2], best: [10, 8, 7], mean: [12, 9, 8], references: [("best baseline", 9)])
        XCTAssertTrue(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        XCTAssertTrue(svg.contains("a&lt;b &amp; c"))
        XCTAssertTrue(svg.contains("best baseline 9"))
        XCTAssertEqual(svg.components(separatedBy: "<path ").count - 1, 2, "best and mean curves")
        XCTAssertTrue(svg.hasSuffix("</svg>\n"))
    }
}
