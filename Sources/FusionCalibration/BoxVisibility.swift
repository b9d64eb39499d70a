import Foundation
import FusionGeometry

/// How much of a box one camera sees, from ray casting against the other boxes and a depth buffer
/// of the LiDAR points that belong to no box.
public struct BoxVisibility: Hashable, Sendable {
    /// Share of the box's image samples (on the image, on the box) that nothing nearer hides, 0...1.
    public var visibleFraction: Double
    /// Samples cast onto the box (0 when the box does not show in the image: then `visibleFraction` is 0).
    var sampleCount: Int
    /// Samples hidden by another box.
    var hiddenByBoxes: Int
    /// Samples hidden by LiDAR points in front of the box (unlabelled objects, walls, vegetation).
    var hiddenByPoints: Int

    /// nuScenes visibility token: 1 (0-40 %), 2 (40-60 %), 3 (60-80 %), 4 (80-100 %).
    public var nuScenesLevel: Int {
        switch visibleFraction {
        case ..<0.4: 1
        case ..<0.6: 2
        case ..<0.8: 3
        default: 4
        }
    }

    /// KITTI `occluded`: 0 fully visible (≥ 80 % here), 1 partly (≥ 40 %), 2 largely occluded; KITTI's
    /// 3 (unknown) when the box has no sample in the image. KITTI gives no numbers; these are ours.
    public var kittiOcclusion: Int {
        guard sampleCount > 0 else { return 3 }
        return visibleFraction >= 0.8 ? 0 : visibleFraction >= 0.4 ? 1 : 2
    }
}

/// Settings of `Camera.visibility(of:points:)`.
public struct VisibilityOptions: Sendable {
    /// Distance between samples over a box's image rectangle, pixels (boxes smaller than 8 samples
    /// across are sampled more finely).
    public var sampleSpacing: Double = 4
    /// Side of a LiDAR depth-buffer cell, pixels. LiDAR rings are several pixels apart in most
    /// cameras; empty cells take the nearest depth of their 8 neighbours.
    var depthCellSize = 6
    /// A hider must be nearer than the box by this much (metres), plus `relativeMargin` of the depth,
    /// so that the box's own surface and the ground it stands on do not count.
    public var margin = 0.5
    var relativeMargin = 0.03

    public init() {}
}

extension Camera {
    /// Visibility of each box (LiDAR frame) in this camera.
    ///
    /// Each box is sampled on a pixel grid over its image rectangle; through each sample a ray is cast
    /// (undistorted, so lenses are handled). Where it meets the box, the sample is hidden when it meets
    /// another box nearer, or when a LiDAR point that lies in no box projects to that cell nearer.
    /// - Parameter points: the sweep; points inside any of `boxes` are ignored as hiders (their box is
    ///   one). Pass an empty cloud to consider the boxes only.
    /// - Parameter pointsInBoxes: which points lie in any of `boxes` (`PointCloud.insideAnyMask`),
    ///   when the caller already knows (several cameras, one sweep); worked out here when nil.
    /// - Complexity: O(n) to bucket the points and mask those in boxes (each box tests the points under
    ///   its footprint), plus O(samples · boxes) for the rays.
    public func visibility(
        of boxes: [Cuboid], points: PointCloud, options: VisibilityOptions = VisibilityOptions(),
        pointsInBoxes: [Bool]? = nil
    ) -> [BoxVisibility] {
        let depthBuffer = LidarDepthBuffer(
            camera: self, points: points, excluded: pointsInBoxes ?? points.insideAnyMask(of: boxes),
            cellSize: options.depthCellSize)
        let boxesInCamera = boxes.map { $0.transformed(by: cameraFromLidar) }
        let rectangles = boxes.map { project($0).boxInImage }
        return boxes.indices.map { index in
            guard let rectangle = rectangles[index] else {
                return BoxVisibility(visibleFraction: 0, sampleCount: 0, hiddenByBoxes: 0, hiddenByPoints: 0)
            }
            let others = boxes.indices.filter {
                $0 != index && rectangles[$0].flatMap { $0.intersection(rectangle) } != nil
            }
            let spacing = min(options.sampleSpacing, max(0.5, min(rectangle.width, rectangle.height) / 8))
            var samples = 0
            var hiddenByBoxes = 0
            var hiddenByPoints = 0
            var v = rectangle.top + spacing / 2
            while v < rectangle.bottom {
                var u = rectangle.left + spacing / 2
                while u < rectangle.right {
                    defer { u += spacing }
                    let ray = self.ray(throughPixel: SIMD2(u, v))
                    guard let depth = boxesInCamera[index].entryDepth(along: ray), depth > nearPlane else { continue }
                    samples += 1
                    let hiderDepth = depth - options.margin - options.relativeMargin * depth
                    if others.contains(where: { other in
                        boxesInCamera[other].entryDepth(along: ray).map { $0 < hiderDepth } ?? false
                    }) {
                        hiddenByBoxes += 1
                    } else if let pointDepth = depthBuffer.depth(atPixel: SIMD2(u, v)), pointDepth < hiderDepth {
                        hiddenByPoints += 1
                    }
                }
                v += spacing
            }
            let visible = samples - hiddenByBoxes - hiddenByPoints
            return BoxVisibility(
                visibleFraction: samples > 0 ? Double(visible) / Double(samples) : 0, sampleCount: samples,
                hiddenByBoxes: hiddenByBoxes, hiddenByPoints: hiddenByPoints)
        }
    }
}

extension Cuboid {
    /// Where a ray from the origin, `t · direction` for t ≥ 0, first meets the box (slab test in the
    /// box's frame); returns t, or nil when it misses. With `direction.z == 1`, t is the camera depth.
    func entryDepth(along direction: SIMD3<Double>) -> Double? {
        let inverse = rotation.inverse
        let origin = inverse.act(on: -center)
        let localDirection = inverse.act(on: direction)
        let half = size.halfExtents
        var entry = 0.0
        var exit = Double.infinity
        for axis in 0..<3 {
            let (o, d, h) = (origin[axis], localDirection[axis], half[axis])
            if abs(d) < 1e-15 {
                guard abs(o) <= h else { return nil }
                continue
            }
            var (t0, t1) = ((-h - o) / d, (h - o) / d)
            if t0 > t1 { swap(&t0, &t1) }
            entry = max(entry, t0)
            exit = min(exit, t1)
            guard entry <= exit else { return nil }
        }
        return entry
    }
}

/// The nearest depth of the LiDAR points that lie in no box, per cell of a camera image, with the
/// gaps between rings closed: an empty cell takes the nearest depth of its 8 neighbours.
struct LidarDepthBuffer {
    private let grid: NearestDepthGrid

    /// - Parameter excluded: per point, whether it lies in a box (and hides nothing).
    init(camera: Camera, points: PointCloud, excluded inBox: [Bool], cellSize: Int) {
        var grid = NearestDepthGrid(
            camera.project(points, concurrency: .singleThread), imageSize: camera.imageSize,
            cellSize: cellSize, including: { !inBox[$0] })
        grid.closeGaps()
        self.grid = grid
    }

    /// The nearest point depth around a pixel, or nil when no point is near it.
    func depth(atPixel pixel: SIMD2<Double>) -> Double? {
        let value = grid.depth(u: Float(pixel.x), v: Float(pixel.y))
        return value.isFinite ? Double(value) : nil
    }
}
