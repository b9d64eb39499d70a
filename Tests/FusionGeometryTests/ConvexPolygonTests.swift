import Testing

@testable import FusionGeometry

@Suite struct ConvexPolygonTests {
    let square: [SIMD2<Double>] = [SIMD2(0, 0), SIMD2(2, 0), SIMD2(2, 2), SIMD2(0, 2)]

    @Test func areaIsSignedByOrientation() {
        #expect(ConvexPolygon.signedArea(square) == 4)
        #expect(ConvexPolygon.signedArea(square.reversed()) == -4)
    }

    @Test func clippingTwoSquaresGivesTheirOverlap() {
        let shifted = square.map { $0 + SIMD2(1, 1) }
        #expect(ConvexPolygon.signedArea(ConvexPolygon.intersection(square, shifted)) == 1)
        #expect(ConvexPolygon.intersection(square, square.map { $0 + SIMD2(3, 0) }).isEmpty)
    }

    @Test func hullDropsInteriorAndCollinearPoints() {
        let hull = ConvexPolygon.convexHull(square + [SIMD2(1, 1), SIMD2(1, 0), SIMD2(0.5, 1.5)])
        #expect(hull.count == 4)
        #expect(ConvexPolygon.signedArea(hull) == 4)
    }
}
