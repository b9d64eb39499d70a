import Foundation
import FusionGeometry
import FusionIO
import Testing

@Suite struct KITTIFormatTests {
    /// A box of any size from a pedestrian's to a bus's, 3 to 70 m ahead, at any heading (KITTI's
    /// rectified camera frame).
    static func randomBox(_ random: inout SeededRandomNumberGenerator) -> KITTIBox3D {
        KITTIBox3D(
            size: Size3(
                length: random.nextDouble(in: 0.5..<12), width: random.nextDouble(in: 0.4..<3),
                height: random.nextDouble(in: 1..<4)),
            bottomCenter: SIMD3(
                random.nextDouble(in: -20..<20), random.nextDouble(in: 1..<2), random.nextDouble(in: 3..<70)),
            rotationY: random.nextDouble(in: -.pi..<(.pi)))
    }

    static let labels = """
        Truck 0.00 0 -1.57 599.41 156.40 629.75 189.25 2.85 2.63 12.34 0.47 1.49 69.44 -1.56
        Car 0.00 0 1.85 387.63 181.54 423.81 203.12 1.67 1.87 3.69 -16.53 2.39 58.49 1.57 0.93
        DontCare -1 -1 -10 503.89 169.71 590.61 190.13 -1 -1 -1 -1000 -1000 -1000 -10

        """

    @Test func labelsParseIntoNamedSizesAndRoundTrip() throws {
        let objects = try KITTIObject.parse(Self.labels)
        #expect(objects.count == 3)
        #expect(objects[0].box.size == Size3(length: 12.34, width: 2.63, height: 2.85))
        #expect(objects[0].box.bottomCenter == SIMD3(0.47, 1.49, 69.44))
        #expect(objects[0].score == nil && objects[1].score == 0.93)
        #expect(objects[2].isDontCare)
        #expect(try KITTIObject.parse(KITTIObject.text(for: objects)) == objects)
    }

    @Test func trackingRowsRoundTrip() throws {
        let text =
            "0 -1 DontCare -1 -1 -10.000000 356.4 195.81 374.1 216.65 -1000 -1000 -1000 -10 -1 -1 -1\n"
            + "3 7 Car 1 0 -1.79 296.74 161.75 455.22 292.50 2.00 1.82 4.43 -4.55 1.65 13.48 -2.11 0.75\n"
        let rows = try KITTITrackedObject.parse(text)
        #expect(rows.map(\.trackID) == [-1, 7])
        #expect(rows[1].frame == 3 && rows[1].object.score == 0.75 && rows[1].object.truncated == 1)
        #expect(try KITTITrackedObject.parse(KITTITrackedObject.text(for: rows)) == rows)
    }

    @Test func cuboidToKITTIAndBackIsExactForUprightCameraBoxes() throws {
        // Camera x = -LiDAR y, camera y = -LiDAR z, camera z = LiDAR x.
        let axes = Matrix3x3(rows: SIMD3(0, -1, 0), SIMD3(0, 0, -1), SIMD3(1, 0, 0))
        let rectifiedCameraFromLidar = RigidTransform(
            rotation: UnitQuaternion(rotationMatrix: axes), translation: SIMD3(0, -0.08, -0.27))
        var random = SeededRandomNumberGenerator(seed: 8)
        for _ in 0..<30 {
            let box = Self.randomBox(&random)
            let lidarBox = box.cuboid(lidarFromRectifiedCamera: rectifiedCameraFromLidar.inverse)
            // The camera frame here is the LiDAR frame turned exactly, so the box is upright in both.
            #expect(lidarBox.isUpright(tolerance: 1e-12))
            #expect(abs(remainder(lidarBox.yaw - (-box.rotationY - .pi / 2), 2 * .pi)) < 1e-9)
            let back = KITTIBox3D(cuboid: lidarBox, rectifiedCameraFromLidar: rectifiedCameraFromLidar)
            #expect((back.bottomCenter - box.bottomCenter).length < 1e-9)
            #expect(abs(remainder(back.rotationY - box.rotationY, 2 * .pi)) < 1e-9)
        }
    }

    /// The forward-left-up cuboid is the camera-frame cuboid with its axes renamed, and converts back exactly.
    @Test func forwardLeftUpCuboidsMatchTheCameraCuboidAndRoundTrip() throws {
        let axes = Matrix3x3(rows: SIMD3(0, 0, 1), SIMD3(-1, 0, 0), SIMD3(0, -1, 0))  // forward-left-up from camera
        let forwardLeftUpFromCamera = RigidTransform(rotation: UnitQuaternion(rotationMatrix: axes))
        var random = SeededRandomNumberGenerator(seed: 12)
        for _ in 0..<30 {
            let box = Self.randomBox(&random)
            let renamed = box.cuboidInForwardLeftUpAxes
            let turned = box.cuboidInRectifiedCamera.transformed(by: forwardLeftUpFromCamera)
            #expect(renamed.isUpright() && (renamed.center - turned.center).length < 1e-9)
            for (a, b) in zip(renamed.corners, turned.corners) { #expect((a - b).length < 1e-9) }
            let back = KITTIBox3D(forwardLeftUpCuboid: renamed)
            #expect(
                (back.bottomCenter - box.bottomCenter).length < 1e-9
                    && abs(remainder(back.rotationY - box.rotationY, 2 * .pi)) < 1e-9)
            #expect(back.rotationY >= -.pi && back.rotationY < .pi)
        }
    }

    @Test func velodyneRoundTripsAndRejectsPartialRecords() throws {
        let cloud = PointCloud(x: [1, 2], y: [3, 4], z: [5, 6], attributes: PointAttributes(intensity: [0.25, 0.5]))
        #expect(try KITTIVelodyne.read(KITTIVelodyne.data(for: cloud)) == cloud)
        var broken = KITTIVelodyne.data(for: cloud)
        broken.append(contentsOf: [1, 2, 3])
        #expect(
            throws: ReadError(
                file: "<memory>", location: .byteOffset(32),
                message: "expected 16-byte records (x y z reflectance as float32), 3 bytes are left over")
        ) {
            _ = try KITTIVelodyne.read(broken)
        }
    }

    @Test func calibrationErrorsNameTheLine() throws {
        let calibration = KITTICalibrationFixture.text
        #expect(throws: ReadError.self) {
            _ = try KITTICalibration.parse(calibration.replacingOccurrences(of: "R0_rect: 1 0 0", with: "R0_rect: 1 0"))
        }
        do {
            _ = try KITTICalibration.parse(
                calibration.replacingOccurrences(of: "P2: 700", with: "P2: seven"), file: "calib.txt")
            Issue.record("expected an error")
        } catch {
            #expect(error.location == .line(3))
            #expect(error.message.contains("'seven'"))
        }
        // A singular rectification is refused, not silently used.
        let singular = calibration.replacingOccurrences(
            of: "R0_rect: 1 0 0 0 1 0 0 0 1", with: "R0_rect: 1 0 0 0 1 0 0 0 0")
        #expect(throws: ReadError.self) { _ = try KITTICalibration.parse(singular) }
        let parsed = try KITTICalibration.parse(calibration)
        #expect(try KITTICalibration.parse(parsed.text) == parsed)
    }

    @Test func windowsLineEndingsReadAsUnixOnes() throws {
        // In a Swift string "\r\n" is one character, so splitting on "\n" would keep a whole file on one line.
        let rows =
            "Car 0.00 0 -1.57 599.41 156.40 629.75 189.25 1.63 1.48 3.88 2.84 1.47 8.41 0.01\nPedestrian 0.00 0 -0.20 712.40 143.00 810.73 307.92 1.89 0.48 1.20 1.84 1.47 8.41 0.01\n"
        let windows = rows.replacingOccurrences(of: "\n", with: "\r\n")
        #expect(try KITTIObject.parse(windows) == KITTIObject.parse(rows))
        #expect(try KITTIObject.parse(windows).count == 2)
        let calibration = KITTICalibrationFixture.text
        #expect(
            try KITTICalibration.parse(calibration.replacingOccurrences(of: "\n", with: "\r\n"))
                == KITTICalibration.parse(calibration))
    }

    @Test func labelErrorsNameTheLineAndColumn() {
        do {
            _ = try KITTIObject.parse("Car 0 0 0 1 2 3 4 1 1 1 0 0 x 0\n", file: "label.txt")
            Issue.record("expected an error")
        } catch {
            #expect(
                error
                    == ReadError(
                        file: "label.txt", location: .line(1),
                        message: "expected a finite number for location (column 14), found 'x'"))
        }
        #expect(throws: ReadError.self) { _ = try KITTIObject.parse("Car 0 0\n") }
    }
}

enum KITTICalibrationFixture {
    static let text = """
        P0: 700 0 600 0 0 700 180 0 0 0 1 0
        P1: 700 0 600 -380 0 700 180 0 0 0 1 0
        P2: 700 0 600 45 0 700 180 -0.3 0 0 1 0.005
        P3: 700 0 600 -330 0 700 180 2.3 0 0 1 0.003
        R0_rect: 1 0 0 0 1 0 0 0 1
        Tr_velo_to_cam: 0 -1 0 0 0 0 -1 -0.08 1 0 0 -0.27

        """
}
