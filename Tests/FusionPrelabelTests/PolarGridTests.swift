import Foundation
import FusionGeometry
import FusionIO
import FusionTestSupport
import Testing

@testable import FusionPrelabel

/// The ground's polar grid finds a bearing's sector from its pseudo-angle; the sector must be the
/// one `atan2` defines, bit for bit, or the ground (and every label on it) would change.
@Suite struct PolarGridTests {
    /// Bearings on every sector edge, a hair either side of it, on the axes, at the origin and
    /// with signed zeros, for several sector counts (an odd one puts no edge on the axes).
    @Test(arguments: [1, 2, 7, 180, 360, 1000])
    func sectorsAreTheArcTangentsNearEveryEdge(sectors: Int) {
        let grid = PolarGrid(sectors: sectors, ringEdges: [10, 120])
        var bearings: [Double] = []
        for edge in 0..<sectors {
            let angle = Double(edge) / Double(sectors) * 2 * .pi - .pi
            bearings += [angle, angle.nextUp, angle.nextDown, angle + 1e-6, angle - 1e-6, angle + 1e-4, angle - 1e-4]
        }
        var failures: [String] = []
        for bearing in bearings {
            for range: Float in [0.5, 7, 60] {
                let x = range * Float(cos(bearing))
                let y = range * Float(sin(bearing))
                let found = grid.sector(x: x, y: y)
                let expected = PolarGrid.sectorByArcTangent(x: x, y: y, sectors: grid.sectors)
                if found != expected { failures.append("(\(x), \(y)): \(found), atan2 \(expected)") }
            }
        }
        for (x, y): (Float, Float) in [
            (0, 0), (-0.0, 0), (0, -0.0), (-0.0, -0.0), (1, 0), (1, -0.0), (-1, 0), (-1, -0.0),
            (0, 1), (-0.0, 1), (0, -1), (-0.0, -1), (1, 1), (-1, 1), (-1, -1), (1, -1)
        ] {
            if grid.sector(x: x, y: y) != PolarGrid.sectorByArcTangent(x: x, y: y, sectors: grid.sectors) {
                failures.append("(\(x), \(y))")
            }
        }
        #expect(failures.count == 0, "of \(bearings.count * 3 + 16): \(failures.prefix(5))")
    }

    /// Every return of real sweeps (a 64-beam and a 40-beam one) gets the `atan2` sector.
    @Test(SharedScenes.required)
    func sectorsAreTheArcTangentsOnRealSweeps() throws {
        let grid = PolarGrid(sectors: GroundSegmentation().sectors, ringEdges: GroundSegmentation().ringEdges)
        let sweeps = [
            try KITTIVelodyne.read(contentsOf: try SharedScenes.path("kitti-object/velodyne/000001.bin")),
            try SUSTechPOINTS.readLidar(contentsOf: try SharedScenes.path("sustechpoints-example/lidar/000970.pcd"))
                .cloud
        ]
        for cloud in sweeps {
            var differing = 0
            var checked = 0
            for index in 0..<cloud.count where cloud.x[index].isFinite && cloud.y[index].isFinite {
                checked += 1
                if grid.sector(x: cloud.x[index], y: cloud.y[index])
                    != PolarGrid.sectorByArcTangent(x: cloud.x[index], y: cloud.y[index], sectors: grid.sectors)
                {
                    differing += 1
                }
            }
            #expect(checked > 50_000 && differing == 0, "\(differing) of \(checked) returns in another sector")
        }
    }
}
