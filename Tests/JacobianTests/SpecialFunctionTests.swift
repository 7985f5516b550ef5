import XCTest

@testable import Jacobian

/// SpecialFunctions (digamma, trigamma, erf_inv, i0e, i1e) and libm's lgamma against reference
/// values printed by scipy 1.17.1 (`python3 -c "import scipy.special as s; print(repr(s.digamma(0.3)))"`,
/// s.polygamma(1, x), s.erfinv, s.i0e, s.i1e, s.gammaln; each also within 1e-15 of mpmath at 40
/// digits), at points that include the hard regions: digamma near its root 1.4616…, tiny and large
/// x, negative non-integers (reflection), erf_inv near ±1 (0.999999 and the last double below 1),
/// i0e/i1e at 0, 1e-8, either side of the switch to the asymptotic series at 20, and negative x.
final class SpecialFunctionTests: XCTestCase {
    let tolerance = 1e-13

    func check(
        _ name: String, _ f: (Double) -> Double, _ cases: [(Double, Double)], file: StaticString = #filePath,
        line: UInt = #line
    ) {
        var worst = 0.0
        for (x, expected) in cases {
            let got = f(x)
            let error = expected == 0 ? Swift.abs(got) : Swift.abs(got - expected) / Swift.abs(expected)
            worst = max(worst, error)
            XCTAssertLessThanOrEqual(
                error, tolerance, "\(name)(\(x)) = \(got), scipy \(expected)", file: file, line: line)
        }
        print("\(name): max relative error vs scipy \(worst)")
    }

    func testDigamma() {
        check(
            "digamma", SpecialFunctions.digamma,
            [
                (0.3, -3.502524222200133),
                (1.0, -0.5772156649015329),
                (1.4616, -3.110625123034165e-05),
                (1.46163214496836, -2.2410766695906466e-15),
                (1.5, 0.03648997397857652),
                (2.0, 0.42278433509846713),
                (7.5, 1.9467574842460866),
                (1e-08, -100000000.57721564),
                (123.456, 4.811829323828985),
                (1000000.0, 13.81551005796419),
                (-0.5, 0.03648997397857651),
                (-2.7, -1.1153471291406887),
                (-10.3, 4.6624034935820875),
            ])
        // Poles give NaN, as JAX's digamma.
        for x in [0.0, -0.0, -1.0, -3.0, -.infinity, .nan] { XCTAssertTrue(SpecialFunctions.digamma(x).isNaN, "\(x)") }
        XCTAssertEqual(SpecialFunctions.digamma(.infinity), .infinity)
    }

    func testTrigamma() {
        check(
            "trigamma", SpecialFunctions.trigamma,
            [
                (0.3, 12.245364546107734),
                (1.0, 1.6449340668482266),
                (1.4616, 0.9677007114650835),
                (2.0, 0.6449340668482266),
                (7.5, 0.1426158966967038),
                (1e-08, 1e+16),
                (123.456, 0.008132945834278194),
                (1000000.0, 1.0000005000001667e-06),
                (-0.4, 9.886209670902355),
                (-0.5, 8.934802200544679),
                (-2.7, 14.769375845132316),
                (-10.3, 14.98688706572264),
            ])
        for x in [0.0, -1.0, -4.0] { XCTAssertEqual(SpecialFunctions.trigamma(x), .infinity, "\(x)") }
    }

    func testErfInv() {
        check(
            "erf_inv", SpecialFunctions.erfInv,
            [
                (1e-300, 8.86226925452758e-301),
                (1e-08, 8.86226925452758e-09),
                (0.1, 0.08885599049425769),
                (-0.3, -0.2724627147267544),
                (0.5, 0.4769362762044699),
                (0.7, 0.7328690779592169),
                (0.9, 1.1630871536766743),
                (0.99, 1.8213863677184496),
                (0.9966, 2.071150939906553),
                (0.999999, 3.458910737275499),
                (-0.999999, -3.458910737275499),
                (0.9999999999999999, 5.8635847487551676),
            ])
        XCTAssertEqual(SpecialFunctions.erfInv(1), .infinity)
        XCTAssertEqual(SpecialFunctions.erfInv(-1), -.infinity)
        XCTAssertTrue(SpecialFunctions.erfInv(1.5).isNaN)
        XCTAssertEqual(SpecialFunctions.erfInv(-0.0).sign, .minus)
        // erf(erf_inv(x)) = x across (−1, 1).
        for i in -99...99 {
            let x = Double(i) / 100
            XCTAssertEqual(erf(SpecialFunctions.erfInv(x)), x, accuracy: 4e-16, "\(x)")
        }
    }

    func testBesselI0eI1e() {
        check(
            "i0e", SpecialFunctions.besselI0e,
            [
                (0.0, 1.0),
                (1e-08, 0.9999999900000003),
                (0.5, 0.64503527044915),
                (-5.0, 0.18354081260932834),
                (5.0, 0.18354081260932834),
                (19.9, 0.09000858886438959),
                (20.0, 0.089780311884826),
                (30.0, 0.0731459464822373),
                (100.0, 0.03994437929909668),
                (10000.0, 0.0039894726746047314),
            ])
        check(
            "i1e", SpecialFunctions.besselI1e,
            [
                (0.0, 0.0),
                (1e-08, 4.999999950000002e-09),
                (0.5, 0.15642080318487173),
                (-5.0, -0.16397226694454234),
                (5.0, 0.16397226694454234),
                (19.9, 0.08771710213170608),
                (20.0, 0.08750622218328867),
                (30.0, 0.07191633059864755),
                (-100.0, -0.03974415302513025),
                (10000.0, 0.003989273195983662),
            ])
        XCTAssertEqual(SpecialFunctions.besselI0e(.infinity), 0)
        XCTAssertEqual(SpecialFunctions.besselI1e(-.infinity), 0)
        XCTAssertEqual(SpecialFunctions.besselI1e(-0.0).sign, .minus)
        XCTAssertTrue(SpecialFunctions.besselI0e(.nan).isNaN)
    }

    func testLgammaAndFloat() {
        check(
            "lgamma", Double.lgamma,
            [
                (0.3, 1.0957979948180756),
                (1.0, 0.0),
                (2.5, 0.2846828704729192),
                (-2.7, -0.0714070853156458),
                (100.0, 359.1342053695754),
                (1e-08, 18.42068073818021),
            ])
        // Float rounds the Double values.
        XCTAssertEqual(Float.digamma(0.3), Float(-3.502524222200133))
        XCTAssertEqual(Float.erfInv(0.5), Float(0.4769362762044699))
        XCTAssertEqual(Float.besselI1e(-5), Float(-0.16397226694454234))
        XCTAssertEqual(Float.lgamma(2.5), Float(0.2846828704729192), accuracy: 1e-7)
    }
}
