import FusionGeometry
import FusionIO
import FusionTestSupport
import Testing

/// The SUSTech POINTS example scene: labels, calibration and LiDAR files with their quirks.
@Suite(SharedScenes.required)
struct SUSTechSceneTests {
    static let frames = ["000965", "000970", "000975"]

    @Test(arguments: zip(frames, [66_781, 66_899, 67_153]))
    func everyLabeledBoxContainsPoints(frame: String, points: Int) throws {
        let sweep = try SUSTechPOINTS.readLidar(
            contentsOf: try SharedScenes.path("sustechpoints-example/lidar/\(frame).pcd")
        ).cloud
        #expect(sweep.count == points)
        let boxes = try SUSTechPOINTS.readLabels(
            contentsOf: try SharedScenes.path("sustechpoints-example/label/\(frame).json"))
        #expect(boxes.count == ["000965": 21, "000970": 23, "000975": 24][frame])
        for box in boxes {
            #expect(sweep.countPoints(inside: box.cuboid) > 0, "box \(box.id) (\(box.type)) is empty")
        }
    }

    @Test func objectIDsPersistAcrossFrames() throws {
        let idsPerFrame = try Self.frames.map { frame in
            Set(
                try SUSTechPOINTS.readLabels(
                    contentsOf: try SharedScenes.path("sustechpoints-example/label/\(frame).json")
                ).map(\.id))
        }
        #expect(idsPerFrame.reduce(Set<String>()) { $0.union($1) }.count == 24)
        #expect(idsPerFrame.dropFirst().reduce(idsPerFrame[0]) { $0.intersection($1) }.count == 20)
    }

    /// Read by its header, the timestamp field is garbage; with the known real layout it is a
    /// 0.1 s sweep and the ring runs over 40 beams. x y z and intensity agree either way.
    @Test func theMisdescribedHeaderIsReadWithTheRealLayout() throws {
        let path = try SharedScenes.path("sustechpoints-example/lidar/000965.pcd")
        let corrected = try SUSTechPOINTS.readLidar(contentsOf: path).cloud
        let byHeader = try PCDReader.read(contentsOf: path).cloud
        #expect(
            corrected.x == byHeader.x && corrected.z == byHeader.z
                && corrected.attributes.intensity == byHeader.attributes.intensity)
        let time = try #require(corrected.attributes.time)
        #expect(time.allSatisfy { $0.isFinite })
        #expect((0.09...0.11).contains(time.max()! - time.min()!))
        #expect(Set(try #require(corrected.attributes.ring)) == Set(0..<40))
        #expect(byHeader.attributes.ring.map(Set.init)?.count == 1)  // the header's offset lands on padding
    }

    @Test(arguments: ["front", "left", "right"])
    func cameraCalibrationsAreRigidWithTheSharedIntrinsics(camera: String) throws {
        let calibration = try SUSTechPOINTS.readCameraCalibration(
            contentsOf: try SharedScenes.path("sustechpoints-example/calib/camera/\(camera).json"))
        #expect(
            abs(calibration.cameraMatrix.row0.x - 1210.06) < 0.01
                && abs(calibration.cameraMatrix.row1.y - 1205.85) < 0.01)
        #expect(
            abs(calibration.cameraMatrix.row0.z - 1022.43) < 0.01
                && abs(calibration.cameraMatrix.row1.z - 792.54) < 0.01)
        // The camera looks roughly along the LiDAR's horizontal plane: its z axis has little vertical part.
        let viewDirection = calibration.cameraFromLidar.rotation.inverse.act(on: SIMD3(0, 0, 1))
        #expect(abs(viewDirection.z) < 0.1)
    }

    @Test func labelsRoundTripThroughTheirOwnFormat() throws {
        let boxes = try SUSTechPOINTS.readLabels(
            contentsOf: try SharedScenes.path("sustechpoints-example/label/000965.json"))
        let again = try SUSTechPOINTS.parseLabels(try SUSTechPOINTS.labelsData(for: boxes))
        for (original, copy) in zip(boxes, again) {
            #expect(original.id == copy.id && original.type == copy.type)
            #expect((original.cuboid.center - copy.cuboid.center).length < 1e-12)
            #expect(original.cuboid.rotation.angle(to: copy.cuboid.rotation) < 1e-7)
        }
    }
}
