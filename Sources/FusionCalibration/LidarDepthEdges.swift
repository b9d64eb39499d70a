import Foundation
import FusionGeometry

/// Points at depth discontinuities of a sweep: a point whose neighbour along its scan line is much
/// farther lies on the silhouette of something, where a camera image has an edge too (Levinson and
/// Thrun, "Automatic Online Calibration of Cameras and Lasers", RSS 2013).
enum LidarDepthEdges {
    /// Indices of foreground edge points.
    ///
    /// Scan lines come from the `ring` attribute when the cloud has one (points of a ring taken in
    /// cloud order), otherwise from cloud order itself (KITTI stores each laser's points in firing
    /// order). Neighbours more than `maximumAzimuthGap` apart in azimuth do not count.
    /// - Parameters:
    ///   - jump: how much farther (metres) a neighbour must be.
    ///   - maximumRange: farther points are too sparse to outline anything.
    static func indices(
        in cloud: PointCloud, jump: Float = 2, maximumRange: Float = 40,
        maximumAzimuthGap: Float = 1.5 * .pi / 180
    ) -> [Int] {
        var scanLines: [[Int]]
        if let rings = cloud.attributes.ring {
            var byRing: [UInt16: [Int]] = [:]
            for index in 0..<cloud.count { byRing[rings[index], default: []].append(index) }
            scanLines = byRing.keys.sorted().map { byRing[$0]! }
        } else {
            scanLines = [Array(0..<cloud.count)]
        }
        var edges: [Int] = []
        for line in scanLines where line.count >= 3 {
            let ranges = line.map { index -> Float in
                let point = cloud[index]
                return (point * point).sum().squareRoot()
            }
            let azimuths = line.map { atan2(cloud.y[$0], cloud.x[$0]) }
            for position in 1..<(line.count - 1) {
                let range = ranges[position]
                guard range.isFinite, range > 1, range < maximumRange else { continue }
                var isEdge = false
                for neighbour in [position - 1, position + 1] {
                    var gap = abs(azimuths[neighbour] - azimuths[position])
                    if gap > .pi { gap = 2 * .pi - gap }
                    if gap <= maximumAzimuthGap, ranges[neighbour] - range > jump { isEdge = true }
                }
                if isEdge { edges.append(line[position]) }
            }
        }
        return edges.sorted()
    }
}
