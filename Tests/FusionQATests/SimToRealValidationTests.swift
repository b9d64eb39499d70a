import Foundation
import FusionGeometry
import Testing

@testable import FusionQA

/// Validation on drawn samples whose distributions are known: the same distribution passes, a
/// scaled or thinned one is flagged, and repeated frames of one object count once for sizes.
@Suite struct SimToRealValidationTests {
    /// `count` car boxes: sizes and point densities from fixed normal distributions, one object each.
    static func cars(_ count: Int, seed: UInt64, prefix: String, sizeScale: Double = 1, pointScale: Double = 1)
        -> [BoxSample]
    {
        var random = SeededRandomNumberGenerator(seed: seed)
        func normal(_ mean: Double, _ deviation: Double) -> Double {
            mean + deviation * min(2, max(-2, random.nextGaussian()))
        }
        return (0..<count).map { index in
            let range = random.nextDouble(in: 5..<60)
            let points = max(1, Int((exp(normal(11, 0.6)) / (range * range) * pointScale).rounded()))
            let size = Size3(
                length: normal(3.9, 0.4) * sizeScale, width: normal(1.65, 0.1) * sizeScale,
                height: normal(1.5, 0.12) * sizeScale)
            let box = Cuboid(center: SIMD3(range, 0, 0), size: size, yaw: normal(0, 0.05))
            return BoxSample(source: "\(prefix) \(index)", objectClass: .car, box: box, points: points)
        }
    }

    static let real = cars(400, seed: 1, prefix: "real")

    @Test func aSetDrawnFromTheRealDistributionsPasses() {
        let report = SimToRealValidation().compare(
            synthetic: Self.cars(300, seed: 2, prefix: "synthetic"), real: Self.real)
        #expect(!report.classes[0].isFlagged, "\(report.text())")
        #expect(report.classes[0].features.map(\.feature) == [.length, .width, .height, .pointDensity, .heading])
        #expect(report.flaggedBoxes.isEmpty, "\(report.text())")
        #expect(!report.isFlagged)
    }

    @Test func sizesScaledByOneAndAHalfAreAGapAndOutsideTheEnvelope() throws {
        let report = SimToRealValidation().compare(
            synthetic: Self.cars(300, seed: 2, prefix: "synthetic", sizeScale: 1.5), real: Self.real)
        let car = report.classes[0]
        let gaps = car.features.filter(\.isGap).map(\.feature)
        #expect(gaps.contains(.length) && gaps.contains(.width) && gaps.contains(.height))
        let length = try #require(car.features.first { $0.feature == .length })
        // 1.5 × 3.9 m: the synthetic median lies about 1.95 m above the real one.
        #expect(abs(length.wasserstein - 1.95) < 0.2)
        #expect(report.flaggedBoxes.count > 250)
        #expect(report.flaggedBoxes[0].reasons.contains { $0.hasPrefix("width") || $0.hasPrefix("length") })
    }

    @Test func pointsThinnedTenfoldAreAGap() throws {
        let report = SimToRealValidation().compare(
            synthetic: Self.cars(300, seed: 2, prefix: "synthetic", pointScale: 0.1), real: Self.real)
        let density = try #require(report.classes[0].features.first { $0.feature == .pointDensity })
        #expect(density.isGap)
        // ln 10 ≈ 2.3 between the medians (a little less: counts are rounded up to one point).
        #expect(abs(density.realMedian - density.syntheticMedian - 2.3) < 0.3)
        #expect(report.flaggedBoxes.contains { $0.reasons.contains { $0.contains("points at") } })
    }

    /// A pedestrian with 2,000 points at 60 m is outside any real envelope, with that reason.
    @Test func anAbsurdBoxIsFlaggedWithItsReason() {
        let absurd = BoxSample(
            source: "absurd", objectClass: .car,
            box: Cuboid(center: SIMD3(60, 0, 0), size: Size3(length: 7, width: 1.7, height: 1.5), yaw: 0), points: 2_000
        )
        let report = SimToRealValidation().compare(synthetic: [absurd], real: Self.real)
        #expect(report.flaggedBoxes.count == 1)
        let reasons = report.flaggedBoxes.first?.reasons ?? []
        #expect(reasons.contains { $0.hasPrefix("length 7.00 m outside the real car range") })
        #expect(reasons.contains { $0.hasPrefix("2000 points at 60.0 m, where real cars have at most") })
    }

    /// Fifty frames of the same three objects are three size samples, too few to judge sizes.
    @Test func sizesCountEachObjectOnce() {
        var repeated: [BoxSample] = []
        for frame in 0..<50 {
            for (index, var box) in Self.cars(3, seed: 9, prefix: "track").enumerated() {
                box.source = "frame \(frame) track \(index)"
                box.object = "track \(index)"
                repeated.append(box)
            }
        }
        let report = SimToRealValidation().compare(synthetic: repeated, real: Self.real)
        #expect(!report.classes[0].features.contains { $0.feature.isPerObject })
        #expect(report.classes[0].features.first { $0.feature == .pointDensity }?.syntheticCount == 150)
    }

    /// Values that are not finite (a NaN from a broken label) are left out, never sorted into the statistics.
    @Test func nonFiniteValuesAreLeftOut() {
        var broken = Self.cars(300, seed: 2, prefix: "synthetic")
        for index in stride(from: 0, to: broken.count, by: 3) { broken[index].values[.length] = .nan }
        broken[1].values[.width] = .infinity
        let report = SimToRealValidation().compare(synthetic: broken, real: Self.real)
        #expect(report.classes[0].features.first { $0.feature == .length }?.syntheticCount == 200)
        #expect(report.classes[0].features.first { $0.feature == .width }?.syntheticCount == 299)
        #expect(!report.classes[0].isFlagged)
        #expect(report.flaggedBoxes.first { $0.source == "synthetic 1" }?.reasons == ["width is not a finite number"])
    }
}
