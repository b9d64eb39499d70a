import Foundation
import FusionGeometry
import FusionIO
import FusionSim
import FusionTestSupport
import Testing

@testable import FusionPrelabel

@Suite struct GroundSegmentationTests {
    /// On the simulated street, whose ground is known exactly: nearly every return from the
    /// terrain (or a kerb top, within 0.2 m of it) is ground and nearly no return from a road user is.
    @Test func theSimulatedStreetsGroundIsFound() throws {
        var simulator = SceneSimulator(seed: 7, frameCount: 1)
        simulator.lidar.azimuthSteps = 900
        simulator.cameras = []
        let world = simulator.world()
        let surface = world.terrain
        let sweep = try simulator.frame(0, in: world, renderers: []).sweep
        let ground = try #require(GroundSegmentation().ground(of: sweep.cloud))
        let times = try #require(sweep.cloud.attributes.time)
        var terrain = 0
        var terrainFound = 0
        var objects = 0
        var objectsCalledGround = 0
        var called = 0
        var calledRight = 0
        for index in 0..<sweep.cloud.count {
            let world = simulator.worldFromLidar(at: times[index] - simulator.startTime, in: world).apply(
                to: SIMD3<Double>(sweep.cloud[index]))
            let aboveTerrain = world.z - surface.height(x: world.x, y: world.y)
            let isTerrain = sweep.agentOfPoint[index] < 0 && aboveTerrain > -0.05 && aboveTerrain < 0.2
            if isTerrain {
                terrain += 1
                if ground.mask[index] { terrainFound += 1 }
            }
            if sweep.agentOfPoint[index] >= 0 {
                objects += 1
                if ground.mask[index] { objectsCalledGround += 1 }
            }
            if ground.mask[index] {
                called += 1
                if isTerrain { calledRight += 1 }
            }
        }
        let recall = Double(terrainFound) / Double(terrain)
        let precision = Double(calledRight) / Double(called)
        #expect(recall > 0.97 && precision > 0.95, "recall \(recall), precision \(precision)")
        #expect(
            Double(objectsCalledGround) / Double(objects) < 0.05,
            "\(objectsCalledGround) of \(objects) object returns called ground")
        // The plane: the LiDAR is 1.73 m above the road.
        #expect(abs(ground.planeHeight(x: 0, y: 0) + 1.73) < 0.1 && ground.normal.z > cos(0.05))
    }

    @Test func tooFewPointsHaveNoGround() {
        #expect(GroundSegmentation().ground(of: PointCloud(points: [SIMD3(1, 0, -1), SIMD3(2, 0, -1)])) == nil)
    }
}

/// Labelled objects with at least 20 returns (as the accuracy bar counts them) stand on the ground
/// the segmentation finds, and their returns well above their bottoms are not ground. Counted over
/// each dataset's frames: the hard cases (a pedestrian on a raised sidewalk whose surface no beam
/// reached, the road under a bus) are few but real.
@Suite(SharedScenes.required)
struct GroundSegmentationReplayTests {
    @Test func kittiObjectsStandOnTheGround() throws {
        var tally = Tally()
        for frame in ["000000", "000001", "000002"] {
            let cloud = try KITTIVelodyne.read(contentsOf: try SharedScenes.path("kitti-object/velodyne/\(frame).bin"))
            let calibration = try KITTICalibration.read(
                contentsOf: try SharedScenes.path("kitti-object/calib/\(frame).txt"))
            let ground = try #require(GroundSegmentation().ground(of: cloud))
            #expect(abs(ground.planeHeight(x: 5, y: 0) + 1.73) < 0.25, "plane at \(ground.planeHeight(x: 5, y: 0))")
            let boxes = try KITTIObject.read(contentsOf: try SharedScenes.path("kitti-object/label_2/\(frame).txt"))
                .filter { !$0.isDontCare }
                .map { $0.box.cuboid(lidarFromRectifiedCamera: calibration.rectifiedCameraFromLidar.inverse) }
            tally.add(boxes, on: ground, in: cloud)
        }
        #expect(tally.objects >= 4 && tally.standing == tally.objects, "\(tally)")
        #expect(tally.objectShareCalledGround < 0.01, "\(tally)")
    }

    @Test func sustechObjectsStandOnTheGround() throws {
        var tally = Tally()
        for frame in ["000965", "000970", "000975"] {
            let cloud = try SUSTechPOINTS.readLidar(
                contentsOf: try SharedScenes.path("sustechpoints-example/lidar/\(frame).pcd")
            ).cloud
            let ground = try #require(GroundSegmentation().ground(of: cloud))
            tally.add(
                try SUSTechPOINTS.readLabels(
                    contentsOf: try SharedScenes.path("sustechpoints-example/label/\(frame).json")
                ).map(\.cuboid), on: ground, in: cloud)
        }
        #expect(tally.objects >= 50 && Double(tally.standing) >= 0.9 * Double(tally.objects), "\(tally)")
        #expect(tally.objectShareCalledGround < 0.01, "\(tally)")
    }

    struct Tally: CustomStringConvertible {
        /// Objects with at least 20 returns, and those whose bottom is within 0.3 m of the ground found under their centre.
        var objects = 0, standing = 0
        /// Returns more than 0.3 m above their box's bottom, and those called ground.
        var raised = 0, raisedCalledGround = 0

        mutating func add(_ boxes: [Cuboid], on ground: GroundSegmentation.Ground, in cloud: PointCloud) {
            for box in boxes {
                let inside = cloud.indicesOfPoints(inside: box)
                guard inside.count >= 20 else { continue }
                objects += 1
                let bottom = box.center.z - box.size.height / 2
                if abs(ground.height(x: box.center.x, y: box.center.y) - bottom) < 0.3 { standing += 1 }
                for index in inside where Double(cloud.z[index]) > bottom + 0.3 {
                    raised += 1
                    if ground.mask[index] { raisedCalledGround += 1 }
                }
            }
        }

        var objectShareCalledGround: Double { Double(raisedCalledGround) / Double(max(1, raised)) }
        var description: String {
            "\(standing) of \(objects) standing; \(raisedCalledGround) of \(raised) raised returns called ground"
        }
    }
}
