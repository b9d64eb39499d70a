import Foundation
import FusionGeometry
import FusionIO

/// A cuboid as one camera sees it.
///
/// The box is clipped against the camera's near plane first: an edge that crosses it is cut there, not
/// projected through the lens (which would wrap it around to the far side of the image). With a
/// distorting lens, edges are curves in the image, so each edge is drawn as a short polyline.
public struct ProjectedCuboid: Hashable, Sendable {
    /// One straight piece of a projected edge, pixels.
    public struct Segment: Hashable, Sendable {
        public var start: SIMD2<Double>
        public var end: SIMD2<Double>
        /// Which edge of the box (see `Cuboid.edges`) the piece belongs to.
        public var edge: Int
    }

    /// The pixels of the 8 corners (`Cuboid.corners` order), nil for corners not beyond the near plane.
    public var corners: [SIMD2<Double>?]
    /// The wireframe after near-plane clipping, for drawing.
    public var segments: [Segment]
    /// The bounding rectangle of the clipped, projected box (may reach outside the image); nil when no
    /// part of the box is in front of the camera.
    var boundingBox: PixelRectangle?
    /// `boundingBox` cut to the image (`-0.5 ... width - 0.5`, the same for rows); nil when they do not meet.
    public var boxInImage: PixelRectangle?
    /// Share of `boundingBox`'s area outside the image, 0...1 (1 when nothing is in front or in the image).
    public var truncation: Double

    /// Whether any part of the box shows in the image.
    public var isInImage: Bool { boxInImage != nil }
}

extension Cuboid {
    /// The 12 edges as pairs of corner indices: bottom face, top face, then the 4 verticals.
    public static let edges: [(Int, Int)] = [
        (0, 1), (1, 2), (2, 3), (3, 0), (4, 5), (5, 6), (6, 7), (7, 4),
        (0, 4), (1, 5), (2, 6), (3, 7)
    ]
}

extension Camera {
    /// Pieces each edge is cut into for drawing and bounds when the lens distorts (straight otherwise).
    static let segmentsPerDistortedEdge = 16

    /// Projects a cuboid given in the LiDAR frame.
    /// - Complexity: O(1): 12 edges, up to 16 pieces each with a distorting lens.
    public func project(_ box: Cuboid) -> ProjectedCuboid {
        let corners = box.transformed(by: cameraFromLidar).corners
        let pieces = distortion == .none ? 1 : Self.segmentsPerDistortedEdge
        var segments: [ProjectedCuboid.Segment] = []
        var lower = SIMD2(Double.infinity, .infinity)
        var upper = -lower
        for (edge, (a, b)) in Cuboid.edges.enumerated() {
            guard let (start, end) = clippedToNearPlane(corners[a], corners[b]) else { continue }
            var previous = pixel(onOrBeyondNearPlane: start)
            lower = pointwiseMin(lower, previous)
            upper = pointwiseMax(upper, previous)
            for piece in 1...pieces {
                let next = pixel(onOrBeyondNearPlane: start + (end - start) * (Double(piece) / Double(pieces)))
                segments.append(.init(start: previous, end: next, edge: edge))
                lower = pointwiseMin(lower, next)
                upper = pointwiseMax(upper, next)
                previous = next
            }
        }
        let cornerPixels = corners.map { pixel(ofCameraPoint: $0) }
        guard !segments.isEmpty else {
            return ProjectedCuboid(
                corners: cornerPixels, segments: [], boundingBox: nil, boxInImage: nil, truncation: 1)
        }
        let bounds = PixelRectangle(left: lower.x, top: lower.y, right: upper.x, bottom: upper.y)
        let image = PixelRectangle(
            left: -0.5, top: -0.5, right: Double(imageSize.width) - 0.5, bottom: Double(imageSize.height) - 0.5)
        let inImage = bounds.intersection(image)
        let area = bounds.width * bounds.height
        let truncation = inImage.map { area > 0 ? max(0, 1 - $0.width * $0.height / area) : 0 } ?? 1
        return ProjectedCuboid(
            corners: cornerPixels, segments: segments, boundingBox: bounds, boxInImage: inImage,
            truncation: truncation)
    }

    /// The pixel of a point of a clipped edge: clipped ends lie on the near plane (or a rounding error
    /// before it), so they are nudged just beyond it.
    private func pixel(onOrBeyondNearPlane point: SIMD3<Double>) -> SIMD2<Double> {
        pixel(ofCameraPoint: SIMD3(point.x, point.y, max(point.z, nearPlane.nextUp)))!
    }

    /// The part of segment a-b (camera frame) at or beyond the near plane, or nil.
    private func clippedToNearPlane(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> (SIMD3<Double>, SIMD3<Double>)? {
        let (aIn, bIn) = (a.z > nearPlane, b.z > nearPlane)
        switch (aIn, bIn) {
        case (true, true): return (a, b)
        case (false, false): return nil
        case (true, false): return (a, a + (b - a) * ((nearPlane - a.z) / (b.z - a.z)))
        case (false, true): return (a + (b - a) * ((nearPlane - a.z) / (b.z - a.z)), b)
        }
    }
}
