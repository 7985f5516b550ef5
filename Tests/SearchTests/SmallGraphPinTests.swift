import XCTest
@testable import Elimination
@testable import Search

/// Pins the classical orders on the ten tasks as they were before the game state and the greedy
/// loops were made to scale (issue 17): the same orders (by a hash of the vertex sequence) and the
/// same costs. A change to the state layout or to the priority-queue greedy that alters any of
/// these is a behaviour change, not a speed-up.
final class SmallGraphPinTests: XCTestCase {
    /// task → [method: (cost, order hash)]; recorded from the dense state and the full-scan greedy.
    static let pinned: [String: [String: [UInt64]]] = [
        "RoeFlux_1d": [
            "anneal": [324, 15217216212193964651], "cost-now-fwd": [407, 6071026388907987881],
            "cost-now-rev": [344, 5647719990913826369], "forward": [620, 16138427920660098677],
            "markowitz": [407, 6071026388907987881], "markowitz-fwd": [407, 6071026388907987881],
            "markowitz-rev": [344, 5647719990913826369], "relative-markowitz-fwd": [387, 7596725760392443141],
            "relative-markowitz-rev": [350, 11364022225937291413], "reverse": [364, 3500287118544495557],
        ],
        "RoeFlux_3d": [
            "anneal": [753, 14016064240257703710], "cost-now-fwd": [1050, 11705730096104540388],
            "cost-now-rev": [977, 16856263436072318844], "forward": [1556, 11272748507893062626],
            "markowitz": [956, 1394225630652932592], "markowitz-fwd": [956, 1394225630652932592],
            "markowitz-rev": [857, 13287440859594180380], "relative-markowitz-fwd": [918, 5348311724719594050],
            "relative-markowitz-rev": [867, 6575608639091030942], "reverse": [979, 5773928127184250326],
        ],
        "RobotArm_6DOF": [
            "anneal": [240, 2854605745158831935], "cost-now-fwd": [288, 16058440038313441069],
            "cost-now-rev": [221, 2041652797457073537], "forward": [397, 5752803612086120089],
            "markowitz": [288, 16058440038313441069], "markowitz-fwd": [288, 16058440038313441069],
            "markowitz-rev": [221, 2041652797457073537], "relative-markowitz-fwd": [262, 3121796772084270311],
            "relative-markowitz-rev": [221, 9814881800446795775], "reverse": [301, 1530240734342533969],
        ],
        "HumanHeartDipole": [
            "anneal": [152, 12159646150618715046], "cost-now-fwd": [194, 17384398528939918714],
            "cost-now-rev": [148, 3876914689533657044], "forward": [240, 1998357286827051524],
            "markowitz": [194, 17384398528939918714], "markowitz-fwd": [194, 17384398528939918714],
            "markowitz-rev": [148, 3876914689533657044], "relative-markowitz-fwd": [148, 981841556932682876],
            "relative-markowitz-rev": [148, 8203289607928461162], "reverse": [172, 9593296222702015286],
        ],
        "PropaneCombustion": [
            "anneal": [89, 15572313207996788238], "cost-now-fwd": [111, 7292028713390886838],
            "cost-now-rev": [88, 11063228633501414572], "forward": [151, 13342035262776421824],
            "markowitz": [111, 7292028713390886838], "markowitz-fwd": [111, 7292028713390886838],
            "markowitz-rev": [88, 11063228633501414572], "relative-markowitz-fwd": [88, 348952784077802126],
            "relative-markowitz-rev": [88, 17477808210993443224], "reverse": [90, 9354711117737265876],
        ],
        "BlackScholes_Jacobian": [
            "anneal": [320, 7091276802588711757], "cost-now-fwd": [350, 12337184285839851427],
            "cost-now-rev": [335, 13056564052002636519], "forward": [582, 14131009871308412293],
            "markowitz": [350, 12337184285839851427], "markowitz-fwd": [350, 12337184285839851427],
            "markowitz-rev": [335, 18170425715008999103], "relative-markowitz-fwd": [396, 10217853362514381105],
            "relative-markowitz-rev": [401, 17253542424066526549], "reverse": [501, 16529049235147252309],
        ],
        "Perceptron": [
            "anneal": [430, 1054252331073856372], "cost-now-fwd": [494, 14616896170561104550],
            "cost-now-rev": [470, 3917877910629655596], "forward": [10930, 15881112723583344660],
            "markowitz": [4796, 9574783332011228014], "markowitz-fwd": [4796, 9574783332011228014],
            "markowitz-rev": [2440, 1023298152523702924], "relative-markowitz-fwd": [2576, 14972056007445775672],
            "relative-markowitz-rev": [1696, 2332005787452393946], "reverse": [392, 11281949049925806042],
        ],
        "Encoder": [
            "anneal": [11964, 5057814004136486546], "cost-now-fwd": [11880, 4097345363221117002],
            "cost-now-rev": [8496, 2040288422703456738], "forward": [135010, 13270171194064070284],
            "markowitz": [51896, 14934301726553193198], "markowitz-fwd": [51896, 14934301726553193198],
            "markowitz-rev": [37828, 11035097853815252734], "relative-markowitz-fwd": [48896, 13891328158070757396],
            "relative-markowitz-rev": [21424, 8567204115623298004], "reverse": [4688, 10422108307266142102],
        ],
        "f": [
            "anneal": [5155, 7122247742911623072], "cost-now-fwd": [8845, 17102789111442929506],
            "cost-now-rev": [8757, 12575296956154790372], "forward": [17728, 10673750840238689720],
            "markowitz": [12257, 10782081262884835404], "markowitz-fwd": [12257, 10782081262884835404],
            "markowitz-rev": [11033, 10354091043967209132], "relative-markowitz-fwd": [10003, 7898617802413179772],
            "relative-markowitz-rev": [10205, 13876518923020346022], "reverse": [9333, 12232885870189350536],
        ],
        "g": [
            "anneal": [419, 9765257341203122719], "cost-now-fwd": [451, 16840288109564769903],
            "cost-now-rev": [444, 12073854426226726349], "forward": [632, 14045049334670497495],
            "markowitz": [451, 16840288109564769903], "markowitz-fwd": [451, 16840288109564769903],
            "markowitz-rev": [444, 12073854426226726349], "relative-markowitz-fwd": [503, 2067146249673159373],
            "relative-markowitz-rev": [498, 707874204130473155], "reverse": [566, 6981671350730487759],
        ],
    ]

    static func hash(_ order: [Int]) -> UInt64 {
        order.reduce(1469598103934665603 as UInt64) { ($0 ^ UInt64($1)) &* 1099511628211 }
    }

    static func results(_ spec: GameSpec) throws -> [String: [UInt64]] {
        var out: [String: [UInt64]] = [:]
        func put(_ name: String, _ order: [Int]) throws {
            out[name] = [UInt64(try Baselines.score(order, on: spec).cost), hash(order)]
        }
        try put("forward", Baselines.forwardOrder(spec))
        try put("reverse", Baselines.reverseOrder(spec))
        try put("markowitz", Baselines.markowitzOrder(spec))
        for rule in GreedyRule.all { try put(rule.name, GreedyElimination.order(spec, rule: rule)) }
        let anneal = try SimulatedAnnealing(
            spec: spec, start: Baselines.markowitzOrder(spec), config: .init(iterations: 3_000, seed: 7)
        ).run()
        try put("anneal", anneal.order)
        return out
    }

    func testClassicalOrdersOnTheTenTasksAreUnchanged() throws {
        var printed: [String] = []
        for task in SearchFixtures.taskNames {
            let got = try Self.results(try SearchFixtures.spec(task))
            printed.append(
                "\"\(task)\": ["
                    + got.keys.sorted().map { "\"\($0)\": [\(got[$0]![0]), \(got[$0]![1])]" }
                    .joined(separator: ", ") + "],")
            if let want = Self.pinned[task] { XCTAssertEqual(got, want, task) }
        }
        if ProcessInfo.processInfo.environment["CCELIM_PRINT_PINS"] != nil { print(printed.joined(separator: "\n")) }
        XCTAssertEqual(Self.pinned.count, SearchFixtures.taskNames.count, "every task is pinned")
    }
}
