import FusionGeometry
import Testing

@testable import FusionPrelabel

/// Empty, tiny, identical, collinear and non-finite inputs: every pre-labelling step gives a defined
/// answer (nothing found, no footprint, no box) rather than a crash or a NaN box.
@Suite struct DegenerateInputTests {
    static let nan = Float.nan, infinity = Float.infinity

    static let clouds: [(name: String, cloud: PointCloud)] = [
        ("empty", PointCloud()),
        ("one point", PointCloud(points: [SIMD3(5, 1, 0.5)])),
        ("all identical", PointCloud(points: Array(repeating: SIMD3(8, -2, 0.7), count: 500))),
        ("collinear", PointCloud(points: (0..<400).map { SIMD3(Float($0) * 0.02 + 3, 1, 0.5) })),
        ("all non-finite", PointCloud(points: [SIMD3(nan, 0, 0), SIMD3(infinity, 1, 1), SIMD3(0, -infinity, nan)])),
        ("far beyond any sensor", PointCloud(points: (0..<50).map { SIMD3(1e30, Float($0), 0) }))
    ]

    @Test(arguments: clouds.indices)
    func degenerateSweepsGiveNoProposalsAndNoNaN(index: Int) {
        let (name, cloud) = Self.clouds[index]
        let result = Prelabeler().prelabel(cloud)
        for proposal in result.proposals {
            #expect(proposal.cuboid.center.x.isFinite && proposal.cuboid.size.isValid, "\(name): \(proposal.cuboid)")
        }
        if name != "far beyond any sensor" {
            #expect(result.proposals.isEmpty, "\(name): \(result.proposals.count) proposals")
        }
        let (labels, clusters) = EuclideanClustering(tolerance: 0.5).labels(of: cloud)
        #expect(labels.count == cloud.count)
        #expect(clusters <= cloud.count)
    }

    @Test func nonFiniteReturnsAmongRealOnesAreIgnored() throws {
        // A 4 m x 1.8 m x 1.5 m block of returns standing on a flat floor, with NaN and infinite
        // returns mixed in, as a driver writes dropped beams.
        var points: [SIMD3<Float>] = []
        for x in stride(from: Float(-20), through: 20, by: 0.25) {
            for y in stride(from: Float(-20), through: 20, by: 0.25) { points.append(SIMD3(x, y, -1.7)) }
        }
        for x in stride(from: Float(9), through: 13, by: 0.1) {
            for z in stride(from: Float(-1.6), through: -0.2, by: 0.1) { points.append(SIMD3(x, 3, z)) }
        }
        for y in stride(from: Float(3), through: 4.8, by: 0.1) {
            for z in stride(from: Float(-1.6), through: -0.2, by: 0.1) { points.append(SIMD3(9, y, z)) }
        }
        let clean = PointCloud(points: points)
        let dirty = PointCloud(
            points: points.enumerated().flatMap { index, point in
                index % 7 == 0
                    ? [point, SIMD3(Self.nan, point.y, 0), SIMD3(point.x, Self.infinity, -Self.infinity)] : [point]
            })
        let expected = Prelabeler().prelabel(clean).proposals.map(\.cuboid)
        let found = Prelabeler().prelabel(dirty).proposals.map(\.cuboid)
        try #require(!expected.isEmpty)
        #expect(found == expected)
    }

    @Test func footprintsOfDegenerateFootprintsAreNil() {
        let identical = Array(repeating: SIMD2<Double>(3, 4), count: 40)
        let collinear = (0..<40).map { SIMD2<Double>(Double($0) * 0.1, 2) }
        let nonFinite = [SIMD2<Double>(.nan, 1), SIMD2(1, .infinity), SIMD2(2, 2)]
        for estimator in [LShapeFitting() as any FootprintEstimator, PrincipalAxesFitting(), MinimumAreaRectangle()] {
            #expect(estimator.footprint(of: identical) == nil, "\(estimator)")
            #expect(estimator.footprint(of: nonFinite) == nil, "\(estimator)")
            if let line = estimator.footprint(of: collinear) {
                #expect(line.length.isFinite && line.width.isFinite && line.yaw.isFinite, "\(estimator): \(line)")
            }
        }
    }

    @Test func oneClickOnNothingFindsNothing() {
        let fit = OneClickFit()
        #expect(fit.fit(seed: SIMD3(1, 2, 0), in: PointCloud()) == nil)
        #expect(fit.fit(seed: SIMD3(.nan, 2, 0), in: PointCloud(points: [SIMD3(1, 2, 0)])) == nil)
        let zeroSize = Cuboid(center: SIMD3(5, 5, 0), size: Size3(length: 0, width: 0, height: 0), yaw: 0)
        #expect(fit.refit(zeroSize, in: PointCloud(points: [SIMD3(5, 5, 0)])) == nil)
    }
}
