import FusionGeometry
import FusionIO
import FusionTestSupport
import Testing

/// The three KITTI object frames, checked against the reference values in `kitti-object/SOURCE.md`
/// (computed there with independent numpy code).
@Suite(SharedScenes.required)
struct KITTIObjectSceneTests {
    struct Reference: CustomTestStringConvertible, Sendable {
        var frame: String
        var type: String
        var pointsInBox: Int
        /// Bounding rectangle of the 8 projected corners: left, top, right, bottom (pixels).
        var projectedCorners: [Double]
        var testDescription: String { "\(frame) \(type)" }
    }

    static let references: [Reference] = [
        Reference(frame: "000000", type: "Pedestrian", pointsInBox: 376, projectedCorners: [710.4, 144.0, 820.3, 307.6]),
        Reference(frame: "000001", type: "Truck", pointsInBox: 70, projectedCorners: [599.8, 157.3, 629.8, 189.8]),
        Reference(frame: "000001", type: "Car", pointsInBox: 9, projectedCorners: [387.9, 181.5, 423.8, 203.3]),
        Reference(frame: "000001", type: "Cyclist", pointsInBox: 18, projectedCorners: [676.9, 164.2, 688.9, 194.1]),
        Reference(frame: "000002", type: "Misc", pointsInBox: 1351, projectedCorners: [806.2, 168.9, 995.8, 330.0]),
        Reference(frame: "000002", type: "Car", pointsInBox: 67, projectedCorners: [657.5, 189.8, 700.3, 223.7]),
    ]

    @Test(arguments: references)
    func pointsInsideEachLabeledBoxMatchTheReference(reference: Reference) throws {
        let calibration = try KITTICalibration.read(contentsOf: try SharedScenes.path("kitti-object/calib/\(reference.frame).txt"))
        let scan = try KITTIVelodyne.read(contentsOf: try SharedScenes.path("kitti-object/velodyne/\(reference.frame).bin"))
        let objects = try KITTIObject.read(contentsOf: try SharedScenes.path("kitti-object/label_2/\(reference.frame).txt"))
        let object = try #require(objects.first { $0.type == reference.type })
        let box = object.box.cuboid(lidarFromRectifiedCamera: calibration.rectifiedCameraFromLidar.inverse)
        #expect(scan.countPoints(inside: box) == reference.pointsInBox)
    }

    @Test(arguments: references)
    func projectedCornersMatchTheReferenceRectangle(reference: Reference) throws {
        let calibration = try KITTICalibration.read(contentsOf: try SharedScenes.path("kitti-object/calib/\(reference.frame).txt"))
        let objects = try KITTIObject.read(contentsOf: try SharedScenes.path("kitti-object/label_2/\(reference.frame).txt"))
        let object = try #require(objects.first { $0.type == reference.type })
        let pixels = object.box.cuboidInRectifiedCamera.corners.map { corner in
            let homogeneous = calibration.leftColorProjection.applied(to: corner)
            return SIMD2(homogeneous.x / homogeneous.z, homogeneous.y / homogeneous.z)
        }
        let rectangle = [pixels.map(\.x).min()!, pixels.map(\.y).min()!, pixels.map(\.x).max()!, pixels.map(\.y).max()!]
        for (value, expected) in zip(rectangle, reference.projectedCorners) {
            #expect(abs(value - expected) <= 0.5, "\(rectangle) vs \(reference.projectedCorners)")
        }
    }

    @Test(arguments: [("000000", 115_384), ("000001", 120_268), ("000002", 126_891)])
    func scansHaveTheDocumentedPointCounts(frame: String, points: Int) throws {
        let scan = try KITTIVelodyne.read(contentsOf: try SharedScenes.path("kitti-object/velodyne/\(frame).bin"))
        #expect(scan.count == points)
        #expect(scan.attributes.intensity!.allSatisfy { (0...1).contains($0) })
    }

    @Test(arguments: ["000000", "000001", "000002"])
    func kittiBoxesSurviveTheTripThroughTheLidarFrame(frame: String) throws {
        let calibration = try KITTICalibration.read(contentsOf: try SharedScenes.path("kitti-object/calib/\(frame).txt"))
        let objects = try KITTIObject.read(contentsOf: try SharedScenes.path("kitti-object/label_2/\(frame).txt"))
        for object in objects where !object.isDontCare {
            let lidarBox = object.box.cuboid(lidarFromRectifiedCamera: calibration.rectifiedCameraFromLidar.inverse)
            let back = KITTIBox3D(cuboid: lidarBox, rectifiedCameraFromLidar: calibration.rectifiedCameraFromLidar)
            #expect(abs((back.bottomCenter - object.box.bottomCenter).length) < 1e-9)
            #expect(abs(remainder(back.rotationY - object.box.rotationY, 2 * .pi)) < 1e-9)
            #expect(back.size == object.box.size)
        }
    }
}

/// The KITTI tracking validation split: row and id counts from `kitti-tracking-val/SOURCE.md`.
@Suite(SharedScenes.required)
struct KITTITrackingSceneTests {
    static let sequences = ["0001", "0006", "0008", "0010", "0012", "0013", "0014", "0015", "0016", "0018", "0019"]

    @Test func rowAndTrackCountsMatchTheSource() throws {
        var rows: [String: Int] = [:]
        var ids: [String: Set<String>] = [:]
        for sequence in Self.sequences {
            for row in try KITTITrackedObject.read(contentsOf: try SharedScenes.path("kitti-tracking-val/label_02/\(sequence).txt")) {
                rows[row.object.type, default: 0] += 1
                ids[row.object.type, default: []].insert("\(sequence)-\(row.trackID)")
            }
        }
        #expect(rows == ["Car": 9550, "Van": 1300, "Truck": 233, "Pedestrian": 10_124, "Person": 676, "Cyclist": 1409,
                         "Tram": 544, "Misc": 215, "DontCare": 9265])
        #expect(ids["Car"]?.count == 190 && ids["Pedestrian"]?.count == 142 && ids["Cyclist"]?.count == 28)
    }

    @Test func everyCalibrationParsesInBothSpellings() throws {
        for sequence in 0...20 {
            let path = try SharedScenes.path(String(format: "kitti-tracking-val/calib/%04d.txt", sequence))
            let calibration = try KITTICalibration.read(contentsOf: path)
            // The original tracking files spell the keys without colons and with other names.
            let original = try FileAccess.text(of: path)
                .replacingOccurrences(of: "R0_rect:", with: "R_rect").replacingOccurrences(of: "Tr_velo_to_cam:", with: "Tr_velo_cam")
                .replacingOccurrences(of: "Tr_imu_to_velo:", with: "Tr_imu_velo").replacingOccurrences(of: "P2:", with: "P2")
            #expect(try KITTICalibration.parse(original) == calibration)
        }
    }
}

import Foundation
