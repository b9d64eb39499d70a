import Foundation
import FusionGeometry
import FusionTestSupport
import Testing

@testable import FusionIO

@Suite struct OpenLABELTests {
    /// A document with every part we write: coordinate systems, streams, objects over frames,
    /// cuboids with attributes, timestamps and ego poses.
    static func sampleDocument() -> OpenLABELDocument {
        let egoFromLidar = RigidTransform(rotation: UnitQuaternion(yaw: 0.01), translation: SIMD3(1.2, 0, 1.8))
        let cameraFromLidar = RigidTransform(
            rotation: UnitQuaternion(rotationMatrix: Matrix3x3(rows: SIMD3(0, -1, 0), SIMD3(0, 0, -1), SIMD3(1, 0, 0))),
            translation: SIMD3(0, -0.08, -0.27))
        var document = OpenLABELDocument(
            metadata: .init(name: "sample", annotator: "fusionlabel prelabel", comment: "test"),
            coordinateSystems: [
                "ego": .init(type: "local_cs", parent: "", children: ["lidar"]),
                "lidar": .init(
                    type: "sensor_cs", parent: "ego", children: ["camera_front"], poseInParent: egoFromLidar),
                "camera_front": .init(type: "sensor_cs", parent: "lidar", poseInParent: cameraFromLidar.inverse)
            ],
            streams: [
                "lidar": .init(type: .lidar, description: "64-beam spinning LiDAR"),
                "camera_front": .init(
                    type: .camera, uri: "camera/front",
                    intrinsics: .init(
                        cameraMatrix: Matrix3x4(rowMajor: [721.5, 0, 609.6, 0, 0, 721.5, 172.9, 0, 0, 0, 1, 0]),
                        distortion: [-0.1, 0.01, 0.001, -0.002, 0.0005], width: 1242, height: 375))
            ],
            objects: ["0": .init(name: "car-0", type: "Car"), "1": .init(name: "pedestrian-1", type: "Pedestrian")])
        for frame in 0..<4 {
            var objects: [String: [OpenLABELDocument.CuboidLabel]] = [
                "0": [
                    .init(
                        coordinateSystem: "lidar",
                        cuboid: Cuboid(
                            center: SIMD3(10 + Double(frame), 2, 0.8),
                            size: Size3(length: 4.2, width: 1.8, height: 1.5), yaw: 0.1 * Double(frame)),
                        attributes: .init(
                            numbers: ["points": Double(120 - frame), "confidence": 0.87], texts: ["source": "prelabel"],
                            booleans: ["flagged": false]))
                ]
            ]
            if frame != 2 {  // the pedestrian is hidden in frame 2
                objects["1"] = [
                    .init(
                        coordinateSystem: "lidar",
                        cuboid: Cuboid(
                            center: SIMD3(5, -3, 0.9), size: Size3(length: 0.6, width: 0.7, height: 1.75),
                            rotation: UnitQuaternion(eulerXYZ: SIMD3(0.02, -0.01, 1.0))))
                ]
            }
            document.frames[frame] = .init(
                timestamp: 1_600_000_000 + 0.1 * Double(frame), objects: objects,
                transforms: [
                    "ego_pose": .init(
                        source: "ego", destination: "world",
                        transform: RigidTransform(
                            rotation: UnitQuaternion(yaw: 0.02 * Double(frame)), translation: SIMD3(Double(frame), 0, 0)
                        ))
                ])
        }
        return document
    }

    @Test(SharedScenes.required) func whatWeWriteValidatesAgainstTheOpenLABELSchema() throws {
        let data = try Self.sampleDocument().data()
        #expect(try OpenLABELSchema.violations(of: data) == [])
    }

    @Test(SharedScenes.required) func theValidatorCatchesAnInvalidDocument() throws {
        // Guards the test above: a document with a schema_version the schema does not allow must
        // be reported, so an empty list of violations means something.
        let broken = String(decoding: try Self.sampleDocument().data(), as: UTF8.self)
            .replacingOccurrences(of: "\"schema_version\" : \"1.0.0\"", with: "\"schema_version\" : \"2.0\"")
        #expect(broken.contains("\"schema_version\" : \"2.0\""))
        #expect(try !OpenLABELSchema.violations(of: Data(broken.utf8)).isEmpty)
    }

    @Test func documentsRoundTrip() throws {
        let document = Self.sampleDocument()
        let read = try OpenLABELDocument.parse(try document.data())
        #expect(
            read.metadata == document.metadata && read.streams == document.streams && read.objects == document.objects)
        #expect(read.coordinateSystems.keys == document.coordinateSystems.keys)
        for (number, frame) in document.frames {
            let copy = try #require(read.frames[number])
            #expect(copy.timestamp == frame.timestamp)
            #expect(copy.objects.keys == frame.objects.keys)
            for (uid, labels) in frame.objects {
                for (label, copied) in zip(labels, copy.objects[uid]!) {
                    #expect(copied.attributes == label.attributes && copied.coordinateSystem == label.coordinateSystem)
                    #expect((copied.cuboid.center - label.cuboid.center).length == 0)
                    #expect(copied.cuboid.size == label.cuboid.size)
                    #expect(copied.cuboid.rotation.angle(to: label.cuboid.rotation) < 1e-7)
                }
            }
        }
        // Once read, writing is a fixed point: the same bytes again.
        #expect(try OpenLABELDocument.parse(try read.data()).data() == (try read.data()))
        #expect(read.frameIntervals(of: "1") == [0...1, 3...3])
    }

    @Test func quaternionsAreWrittenScalarLast() throws {
        var document = OpenLABELDocument(objects: ["7": .init(name: "a", type: "Car")])
        let rotation = UnitQuaternion(yaw: 0.5)
        document.frames[0] = .init(objects: [
            "7": [
                .init(
                    cuboid: Cuboid(
                        center: SIMD3(1, 2, 3), size: Size3(length: 4, width: 2, height: 1.5), rotation: rotation))
            ]
        ])
        // JSONDecoder reads doubles exactly (Foundation's JSONSerialization does not, on Linux).
        let wire = try JSONDecoder().decode(OpenLABELWire.Root.self, from: try document.data())
        let val = try #require(wire.openlabel.frames?["0"]?.objects?["7"]?.object_data?.cuboid?.first?.val)
        #expect(val == [1, 2, 3, 0, 0, rotation.z, rotation.w, 4, 2, 1.5])
    }

    @Test(SharedScenes.required) func fourDistortionCoefficientsArePaddedToTheFiveTheSchemaWants() throws {
        var document = Self.sampleDocument()
        document.streams["camera_front"]?.intrinsics?.distortion = [-0.1, 0.01, 0.001, -0.002]
        let read = try OpenLABELDocument.parse(try document.data())
        #expect(read.streams["camera_front"]?.intrinsics?.distortion == [-0.1, 0.01, 0.001, -0.002, 0])
        #expect(try OpenLABELSchema.violations(of: try document.data()) == [])
    }

    @Test func nineValueCuboidsEulerAndMatrixTransformsAreRead() throws {
        let json = """
            {"openlabel": {"metadata": {"schema_version": "1.0.0"},
              "coordinate_systems": {"base": {"type": "scene_cs", "parent": ""},
                "lidar": {"type": "sensor_cs", "parent": "base", "pose_wrt_parent": {"matrix4x4": [0,-1,0,1, 1,0,0,2, 0,0,1,3, 0,0,0,1]}},
                "cam": {"type": "sensor_cs", "parent": "base", "pose_wrt_parent": {"euler_angles": [1.5707963267948966, 0, 0], "translation": [0,0,0], "sequence": "ZYX"}}},
              "objects": {"3": {"name": "x", "type": "Van"}},
              "frames": {"5": {"frame_properties": {"timestamp": "12.5"},
                "objects": {"3": {"object_data": {"cuboid": [{"name": "box", "val": [1, 2, 3, 0, 0, 1.5707963267948966, 4, 2, 1.5]},
                                                              {"name": "empty", "val": null}]}}}}}}}
            """
        let document = try OpenLABELDocument.parse(Data(json.utf8))
        let lidarPose = try #require(document.coordinateSystems["lidar"]?.poseInParent)
        #expect((lidarPose.apply(to: SIMD3(1, 0, 0)) - SIMD3(1, 3, 3)).length < 1e-12)
        let cameraPose = try #require(document.coordinateSystems["cam"]?.poseInParent)
        #expect(abs(cameraPose.rotation.yaw - .pi / 2) < 1e-12)
        let frame = try #require(document.frames[5])
        #expect(frame.timestamp == 12.5)
        let labels = try #require(frame.objects["3"])
        #expect(labels.count == 1)
        #expect(abs(labels[0].cuboid.yaw - .pi / 2) < 1e-12)
        #expect(labels[0].cuboid.size == Size3(length: 4, width: 2, height: 1.5))
    }

    struct BadCase: CustomTestStringConvertible, Sendable {
        var name: String
        var json: String
        var path: String
        var testDescription: String { name }
    }

    static let badCases: [BadCase] = [
        BadCase(
            name: "wrong schema version", json: #"{"openlabel": {"metadata": {"schema_version": "0.9"}}}"#,
            path: "openlabel.metadata.schema_version"),
        BadCase(
            name: "short cuboid",
            json:
                #"{"openlabel": {"metadata": {"schema_version": "1.0.0"}, "objects": {"1": {"name": "a", "type": "Car"}}, "frames": {"0": {"objects": {"1": {"object_data": {"cuboid": [{"name": "b", "val": [1, 2, 3]}]}}}}}}}"#,
            path: "openlabel.frames.0.objects.1.object_data.cuboid[0].val"),
        BadCase(
            name: "negative size",
            json:
                #"{"openlabel": {"metadata": {"schema_version": "1.0.0"}, "objects": {"1": {"name": "a", "type": "Car"}}, "frames": {"0": {"objects": {"1": {"object_data": {"cuboid": [{"name": "b", "val": [1, 2, 3, 0, 0, 0, 1, 4, -2, 1]}]}}}}}}}"#,
            path: "openlabel.frames.0.objects.1.object_data.cuboid[0].val"),
        BadCase(
            name: "frame refers to an unknown object",
            json: #"{"openlabel": {"metadata": {"schema_version": "1.0.0"}, "frames": {"0": {"objects": {"9": {}}}}}}"#,
            path: "openlabel.frames.0.objects.9"),
        BadCase(
            name: "frame key is not a number",
            json: #"{"openlabel": {"metadata": {"schema_version": "1.0.0"}, "frames": {"first": {}}}}"#,
            path: "openlabel.frames.first"),
        BadCase(
            name: "val is text",
            json:
                #"{"openlabel": {"metadata": {"schema_version": "1.0.0"}, "objects": {"1": {"name": "a", "type": "Car"}}, "frames": {"0": {"objects": {"1": {"object_data": {"cuboid": [{"name": "b", "val": "x"}]}}}}}}}"#,
            path: "openlabel.frames.0.objects.1.object_data.cuboid[0].val"),
        BadCase(
            name: "singular pose matrix",
            json:
                #"{"openlabel": {"metadata": {"schema_version": "1.0.0"}, "coordinate_systems": {"l": {"type": "sensor_cs", "parent": "", "pose_wrt_parent": {"matrix4x4": [0,0,0,0, 0,0,0,0, 0,0,0,0, 0,0,0,1]}}}}}"#,
            path: "openlabel.coordinate_systems.l.pose_wrt_parent.matrix4x4")
    ]

    @Test(arguments: badCases)
    func malformedDocumentsNameTheJSONPath(testCase: BadCase) {
        do {
            _ = try OpenLABELDocument.parse(Data(testCase.json.utf8), file: "labels.json")
            Issue.record("expected an error")
        } catch {
            #expect(error.file == "labels.json")
            #expect(error.location == .jsonPath(testCase.path), "\(error)")
        }
    }

    @Test func nonFiniteValuesAndBadUIDsAreRefusedOnWrite() {
        var document = OpenLABELDocument(objects: ["car": .init(name: "a", type: "Car")])
        #expect(throws: WriteError.self) { _ = try document.data() }
        document.objects = ["1": .init(name: "a", type: "Car")]
        document.frames[0] = .init(objects: [
            "1": [.init(cuboid: Cuboid(center: SIMD3(.nan, 0, 0), size: Size3(length: 1, width: 1, height: 1), yaw: 0))]
        ])
        #expect(throws: WriteError.self) { _ = try document.data() }
    }
}

/// Real labels through OpenLABEL: the SUSTech scene's tracked boxes and a KITTI frame's boxes.
@Suite(SharedScenes.required)
struct OpenLABELSharedSceneTests {
    @Test func sustechTracksBecomeOpenLABELObjectsThatValidate() throws {
        var document = OpenLABELDocument(coordinateSystems: ["lidar": .init(type: "sensor_cs")])
        for (number, frame) in ["000965", "000970", "000975"].enumerated() {
            let boxes = try SUSTechPOINTS.readLabels(
                contentsOf: try SharedScenes.path("sustechpoints-example/label/\(frame).json"))
            var objects: [String: [OpenLABELDocument.CuboidLabel]] = [:]
            for box in boxes {
                document.objects[box.id] = .init(name: "\(box.type)-\(box.id)", type: box.type)
                objects[box.id] = [.init(coordinateSystem: "lidar", cuboid: box.cuboid)]
            }
            document.frames[number] = .init(objects: objects)
        }
        let data = try document.data()
        #expect(try OpenLABELSchema.violations(of: data) == [])
        let read = try OpenLABELDocument.parse(data)
        #expect(read.objects.count == 24)
        #expect(read.objects.keys.filter { read.frameIntervals(of: $0) == [0...2] }.count == 20)
    }
}

/// `write(to:)` and `data()` encode frame by frame; the bytes must be those of the whole document
/// encoded at once by JSONEncoder (the way files were written before, and the way readers expect).
@Suite struct OpenLABELStreamingTests {
    static func oneShot(_ document: OpenLABELDocument) throws -> Data {
        try JSONFile.encode(OpenLABELWire.Root(openlabel: document.wireBody(framesInline: true)), file: "<test>")
    }

    @Test(arguments: [0, 1, 12]) func framesEncodedOneByOneGiveTheSameBytes(frameCount: Int) throws {
        var document = OpenLABELTests.sampleDocument()
        let template = document.frames[0]!
        document.frames = [:]
        for number in 0..<frameCount {
            // Frame 3 is empty (no objects, no timestamp): an empty JSON object inside the frames.
            document.frames[number] = number == 3 ? OpenLABELDocument.Frame() : template
        }
        if frameCount == 0 { document.objects = [:] }
        let streamed = try document.data()
        #expect(streamed == (try Self.oneShot(document)))
        #expect(try OpenLABELDocument.parse(streamed) == document)

        let folder = try TemporaryFiles.folder("openlabel")
        defer { TemporaryFiles.remove(folder) }
        try document.write(to: folder + "/labels.json")
        #expect(FileManager.default.contents(atPath: folder + "/labels.json") == streamed)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["labels.json"])
    }

    /// A document that cannot be written leaves no file and no temporary behind.
    @Test func aFailedWriteLeavesNothing() throws {
        var document = OpenLABELTests.sampleDocument()
        document.objects["car seven"] = .init(name: "bad", type: "Car")
        let folder = try TemporaryFiles.folder("openlabel")
        defer { TemporaryFiles.remove(folder) }
        #expect(throws: WriteError.self) { try document.write(to: folder + "/labels.json") }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
    }
}
