import Foundation
import FusionGeometry
import FusionIO
import Testing

@testable import FusionPrelabel

@Suite struct FootprintTests {
    /// Returns along the two near sides of a 4.2 × 1.8 m car turned 30°, seen from the origin,
    /// with 2 cm of seeded noise.
    static func lShapedReturns(center: SIMD2<Double> = SIMD2(12, 5), yaw: Double = 30 * .pi / 180) -> [SIMD2<Double>] {
        var random = SeededRandomNumberGenerator(seed: 3)
        let box = Footprint(center: center, length: 4.2, width: 1.8, yaw: yaw)
        let (along, across) = box.axes
        // The corner nearest the sensor and the two sides meeting there.
        let corners = [(-1.0, -1.0), (-1.0, 1.0), (1.0, -1.0), (1.0, 1.0)].map {
            box.center + along * $0.0 * 2.1 + across * $0.1 * 0.9
        }
        let near = corners.min { ($0 * $0).sum() < ($1 * $1).sum() }!
        let towardLength = ((box.center - near) * along).sum() > 0 ? along : -along
        let towardWidth = ((box.center - near) * across).sum() > 0 ? across : -across
        var points: [SIMD2<Double>] = []
        for step in 0...60 { points.append(near + towardLength * 4.2 * Double(step) / 60) }
        for step in 1...25 { points.append(near + towardWidth * 1.8 * Double(step) / 25) }
        return points.map {
            $0 + SIMD2(Double.random(in: -0.02...0.02, using: &random), Double.random(in: -0.02...0.02, using: &random))
        }
    }

    @Test(arguments: LShapeFitting.Criterion.allCases)
    func lShapeFittingFindsTheCar(criterion: LShapeFitting.Criterion) throws {
        let footprint = try #require(LShapeFitting(criterion: criterion).footprint(of: Self.lShapedReturns()))
        #expect(abs(footprint.yaw - 30 * .pi / 180) < 1.5 * .pi / 180, "\(criterion): \(footprint)")
        #expect(abs(footprint.length - 4.2) < 0.1 && abs(footprint.width - 1.8) < 0.1, "\(criterion): \(footprint)")
        #expect(((footprint.center - SIMD2(12, 5)) * (footprint.center - SIMD2(12, 5))).sum().squareRoot() < 0.1)
    }

    @Test func minimumAreaRectangleIsExactOnARectangle() throws {
        let box = Footprint(center: SIMD2(-3, 7), length: 5, width: 2, yaw: -0.7)
        let (along, across) = box.axes
        let points =
            (0..<200).map { step -> SIMD2<Double> in
                let t = Double(step) / 200
                return box.center + along * (t - 0.5) * 5 + across * (sin(t * 40) * 0.5) * 2
            } + [
                box.center + along * 2.5 + across, box.center - along * 2.5 - across, box.center + along * 2.5 - across,
                box.center - along * 2.5 + across
            ]
        let found = try #require(MinimumAreaRectangle().footprint(of: points))
        #expect(abs(found.length - 5) < 1e-9 && abs(found.width - 2) < 1e-9 && abs(found.yaw + 0.7) < 1e-9, "\(found)")
        let principal = try #require(PrincipalAxesFitting().footprint(of: points))
        #expect(abs(principal.yaw + 0.7) < 0.05, "\(principal)")
    }

    /// A bicycle from above, heading 20°: wheels and frame along its axis, a 60 cm handlebar
    /// across the front, the rider's torso over the middle; 1 cm of seeded noise.
    static func bicycleReturns() -> [SIMD2<Double>] {
        var random = SeededRandomNumberGenerator(seed: 5)
        let axes = Footprint(center: SIMD2(15, -4), length: 1.7, width: 0.6, yaw: 20 * .pi / 180).axes
        var local: [SIMD2<Double>] = (0...40).map { SIMD2(-0.85 + 1.7 * Double($0) / 40, 0) }
        local += (0...12).map { SIMD2(0.55, -0.3 + 0.6 * Double($0) / 12) }
        for along in stride(from: -0.25, through: 0.05, by: 0.05) {
            for across in stride(from: -0.18, through: 0.18, by: 0.06) { local.append(SIMD2(along, across)) }
        }
        return local.map { point in
            SIMD2(15, -4) + axes.length * point.x + axes.width * point.y
                + SIMD2(
                    Double.random(in: -0.01...0.01, using: &random), Double.random(in: -0.01...0.01, using: &random))
        }
    }

    @Test func shapeAwareFittingPicksTheCriterionBySize() throws {
        let fitting = ShapeAwareFitting()
        let car = Self.lShapedReturns()
        let bicycle = Self.bicycleReturns()
        let person = (0..<30).map { step -> SIMD2<Double> in
            let angle = Double(step) / 30 * 2 * .pi
            return SIMD2(8 + 0.25 * cos(angle), 2 + 0.18 * sin(angle))
        }
        #expect(fitting.footprint(of: car) == LShapeFitting(criterion: .closeness).footprint(of: car))
        #expect(fitting.footprint(of: person) == MinimumAreaRectangle().footprint(of: person))
        let found = try #require(fitting.footprint(of: bicycle))
        #expect(found == PrincipalAxesFitting().footprint(of: bicycle))
        // The principal axis is the bicycle's heading, and the box holds it.
        #expect(
            abs(found.yaw - 20 * .pi / 180) < 3 * .pi / 180 && abs(found.length - 1.7) < 0.05 && found.width < 0.7,
            "\(found)")
        #expect(
            fitting.footprint(of: []) == nil && fitting.footprint(of: [SIMD2(1, 1), SIMD2(.nan, 2), SIMD2(3, 1)]) == nil
        )
    }

    @Test func degenerateInputsHaveNoFootprint() {
        #expect(LShapeFitting().footprint(of: []) == nil)
        #expect(LShapeFitting().footprint(of: [SIMD2(1, 1), SIMD2(1, 1)]) == nil)
        #expect(MinimumAreaRectangle().footprint(of: [SIMD2(1, 1)]) == nil)
        #expect(PrincipalAxesFitting().footprint(of: [SIMD2(2, 2), SIMD2(2, 2), SIMD2(2, 2)]) == nil)
    }
}

@Suite struct PriorModelTests {
    @Test func sizesPickTheClass() {
        let priors = PriorModel.standard
        func likeliest(_ size: Size3, sides: Int = 2) -> PrelabelClass {
            priors.classProbabilities(observed: size, seenSides: sides).max { $0.value < $1.value }!.key
        }
        #expect(likeliest(Size3(length: 4.0, width: 1.7, height: 1.5)) == .car)
        #expect(likeliest(Size3(length: 0.6, width: 0.5, height: 1.75)) == .pedestrian)
        #expect(likeliest(Size3(length: 1.7, width: 0.6, height: 1.7)) == .cyclist)
        #expect(likeliest(Size3(length: 11.5, width: 2.6, height: 3.2)) == .bus)
        #expect(likeliest(Size3(length: 6, width: 2.1, height: 2.5)) == .vanTruck)
        // A 15 m long, 40 cm thick, 4 m tall slab is no road user.
        #expect(likeliest(Size3(length: 15, width: 0.4, height: 4)) == .other)
    }

    @Test func correctionsMoveThePriorsAndSurviveJSON() throws {
        var priors = PriorModel.standard
        let fitted = Cuboid(center: .zero, size: Size3(length: 3.5, width: 1.5, height: 1.4), yaw: 0)
        let corrected = Cuboid(center: .zero, size: Size3(length: 4.3, width: 1.8, height: 1.6), yaw: 0)
        // A partial view (1.2 m long) and a merged cluster (a metre and more off) teach sizes, not corrections.
        let partial = Cuboid(center: .zero, size: Size3(length: 1.2, width: 1.5, height: 1.4), yaw: 0)
        let merged = Cuboid(center: .zero, size: Size3(length: 6.5, width: 2.5, height: 1.5), yaw: 0)
        priors.learn(
            from: Array(repeating: PriorModel.Correction(kind: .car, fitted: fitted, corrected: corrected), count: 30)
                + [
                    .init(kind: .car, fitted: partial, corrected: corrected),
                    .init(kind: .car, fitted: merged, corrected: corrected)
                ])
        let car = try #require(priors.classes[.car])
        #expect(car.correctionCount == 30)
        #expect(
            abs(car.sizeCorrection.length - 0.8) < 1e-9 && abs(car.sizeCorrection.width - 0.3) < 1e-9
                && abs(car.sizeCorrection.height - 0.2) < 1e-9)
        // 32 boxes of 4.3 m against a start worth 30: the mean moves past half way.
        #expect(abs(car.meanSize.length - (3.88 * 30 + 4.3 * 32) / 62) < 1e-9, "\(car.meanSize)")
        let decoded = try JSONDecoder().decode(PriorModel.self, from: JSONEncoder().encode(priors))
        #expect(decoded == priors)
    }

    /// People labelled at KITTI's sizes (1.0 × 0.7 m here) around fits that saw only their front
    /// (0.4 × 0.15 m): the class learns how big partly seen people are drawn, and the next
    /// completion grows to a square of that area, which overlaps such a label whichever way the
    /// person faces; with the starting priors it overlaps less than half.
    @Test func partlySeenPeopleTeachHowBigTheyAreDrawn() throws {
        let fit = Cuboid(center: SIMD3(12, 0, -0.9), size: Size3(length: 0.4, width: 0.15, height: 1.6), yaw: 0)
        let label = Size3(length: 1.0, width: 0.7, height: 1.75)
        var priors = PriorModel.standard
        // Whole views (a fit within a quarter of the kept box) are no partial views.
        let whole = Cuboid(center: fit.center, size: Size3(length: 0.9, width: 0.65, height: 1.7), yaw: 0)
        priors.learn(
            from: Array(
                repeating: .init(
                    kind: .pedestrian, fitted: fit, corrected: Cuboid(center: fit.center, size: label, yaw: 0)),
                count: 6)
                + [.init(kind: .pedestrian, fitted: whole, corrected: Cuboid(center: fit.center, size: label, yaw: 0))])
        let pedestrian = try #require(priors.classes[.pedestrian])
        let learned = try #require(pedestrian.partialViews?.meanSize)
        #expect(pedestrian.partialViews?.count == 6)
        #expect(abs(learned.length - 1.0) < 1e-9 && abs(learned.width - 0.7) < 1e-9, "\(learned)")
        #expect(PriorModel.standard.classes[.pedestrian]?.partialViews == nil)

        let partial = CuboidFitter.Fit(cuboid: fit, residual: 0.02, pointCount: 40, seenSides: 1)
        let grown = CuboidFitter().completed(partial, as: .pedestrian, prior: pedestrian)
        let starting = CuboidFitter().completed(
            partial, as: .pedestrian, prior: try #require(PriorModel.standard.classes[.pedestrian]))
        for degrees in [0.0, 30, 45, 90] {
            let truth = Cuboid(center: fit.center, size: label, yaw: degrees * .pi / 180)
            #expect(grown.bevIoU(with: truth) > 0.6, "facing \(degrees)°: \(grown.bevIoU(with: truth))")
            #expect(starting.bevIoU(with: truth) < 0.5, "facing \(degrees)°: \(starting.bevIoU(with: truth))")
        }
        // Saved and read back; a file written before partial views were learned still reads.
        #expect(try PriorModel.parse(JSONEncoder().encode(priors)) == priors)
        let older = try JSONEncoder().encode(PriorModel.standard)
        #expect(!String(decoding: older, as: UTF8.self).contains("partialView"))
        #expect(try PriorModel.parse(older) == PriorModel.standard)
    }

    @Test func aLearnedPartialViewMustBeASize() throws {
        var priors = PriorModel.standard
        priors.classes[.pedestrian]?.partialViews = .init(
            count: 3, meanSize: Size3(length: -1, width: 0.7, height: 1.7))
        #expect(throws: ReadError.self) { try PriorModel.parse(JSONEncoder().encode(priors)) }
        priors.classes[.pedestrian]?.partialViews = .init(count: 0, meanSize: Size3(length: 1, width: 0.7, height: 1.7))
        #expect(throws: ReadError.self) { try PriorModel.parse(JSONEncoder().encode(priors)) }
    }
}
