import Foundation
import FusionCalibration
import FusionGeometry
import FusionIO
import FusionSupport

extension SceneSimulator {
    static let labelsPath = "labels/ground_truth.openlabel.json"

    static func lidarPath(_ index: Int) -> String { "lidar/\(sixDigits(index)).pcd" }

    static func imagePath(camera: String, _ index: Int) -> String { "images/\(camera)/\(sixDigits(index)).png" }

    static func radarPath(radar: String, _ index: Int) -> String { "radar/\(radar)/\(sixDigits(index)).pcd" }

    private static func sixDigits(_ index: Int) -> String {
        String(repeating: "0", count: max(0, 6 - String(index).count)) + String(index)
    }

    /// The origin recorded on every label this configuration writes.
    public var origin: LabelOrigin { .synthetic(generator: Self.generator, seed: seed) }

    /// Simulates every frame and writes the scene into `folder` (created if needed):
    /// `scene.json`, `lidar/NNNNNN.pcd` (binary_compressed: x y z intensity ring time),
    /// `images/<camera>/NNNNNN.png`, `radar/<radar>/NNNNNN.pcd` (x y z radial_velocity
    /// radial_velocity_compensated rcs) and `labels/ground_truth.openlabel.json`. Every file is written
    /// atomically. Frames are simulated two at a time per core; the bytes do not depend on it.
    /// - Parameter progress: called with the number of frames finished, from any thread.
    public func write(to folder: String, progress: @Sendable (Int) -> Void = { _ in }) throws(WriteError) {
        let imageFolders = rendersImages ? cameras.map { "images/" + $0.name } : []
        for subfolder in ["lidar", "labels"] + imageFolders + radars.map({ "radar/" + $0.name }) {
            do {
                try FileManager.default.createDirectory(
                    atPath: folder + "/" + subfolder, withIntermediateDirectories: true)
            } catch {
                throw WriteError(
                    file: folder + "/" + subfolder, message: "cannot create the folder: \(error.localizedDescription)")
            }
        }
        let world = world()
        let renderers: [CameraRenderer]
        do {
            renderers = rendersImages ? try self.renderers() : []
        } catch {
            throw Self.cameraError(error, folder: folder)
        }
        let summaries = try parallelMap(count: frameCount, progress: progress) {
            (index: Int) throws(WriteError) -> FrameSummary in
            let frame: Frame
            do throws(CalibrationError) {
                frame = try self.frame(index, in: world, renderers: renderers)
            } catch {
                throw Self.cameraError(error, folder: folder)
            }
            try PCDWriter.write(
                frame.sweep.cloud, to: folder + "/" + Self.lidarPath(index), encoding: .binaryCompressed)
            for (camera, image) in frame.images {
                try image.writePNG(to: folder + "/" + Self.imagePath(camera: camera, index))
            }
            for (radar, scan) in frame.radarScans {
                try PCDWriter.write(
                    scan.cloud, to: folder + "/" + Self.radarPath(radar: radar, index), encoding: .binaryCompressed)
            }
            return FrameSummary(frame)
        }
        try labels(summaries).write(to: folder + "/" + Self.labelsPath)
        try FileAccess.writeAtomically(try manifest(summaries).data(), to: folder + "/" + SceneManifest.fileName)
    }

    private static func cameraError(_ error: CalibrationError, folder: String) -> WriteError {
        WriteError(file: folder + "/" + SceneManifest.fileName, message: "a camera cannot be simulated: \(error)")
    }

    /// What the scene files need from a frame once its sweep and images are written.
    struct FrameSummary: Sendable {
        var timestamp: Double
        var worldFromEgo: RigidTransform
        var groundTruth: [GroundTruth]

        init(_ frame: Frame) {
            timestamp = frame.timestamp
            worldFromEgo = frame.worldFromEgo
            groundTruth = frame.groundTruth
        }
    }

    func manifest(_ frames: [FrameSummary]) -> SceneManifest {
        SceneManifest(
            name: "urban-seed\(seed)",
            description:
                "Synthetic urban street by \(Self.generator) (seed \(seed), \(frameCount) frames, \(lidar.beamElevations.count)-beam LiDAR). "
                + "Cameras fire when the LiDAR passes their optical axis.",
            lidar: .init(name: "top", egoFromLidar: egoFromLidar), cameras: cameras, radars: radars,
            frames: frames.enumerated().map { index, frame in
                .init(
                    index: index, timestamp: frame.timestamp, lidar: Self.lidarPath(index),
                    images: rendersImages
                        ? Dictionary(
                            uniqueKeysWithValues: cameras.map { ($0.name, Self.imagePath(camera: $0.name, index)) })
                        : [:],
                    radar: Dictionary(
                        uniqueKeysWithValues: radars.map { ($0.name, Self.radarPath(radar: $0.name, index)) }),
                    worldFromEgo: frame.worldFromEgo)
            },
            labels: [Self.labelsPath])
    }

    /// Ground truth as OpenLABEL: one object per track, a cuboid per frame in which the object has
    /// returns, in the `lidar` coordinate system, with the cameras as streams placed relative to it.
    func labels(_ frames: [FrameSummary]) -> OpenLABELDocument {
        var document = OpenLABELDocument(
            metadata: .init(
                name: "FusionSim urban scene (seed \(seed))", annotator: "\(Self.generator) ground truth",
                comment: "Each box is at its object's capture time (attribute capture_time, when the LiDAR faced it), "
                    + "in the LiDAR frame at that time. points: returns from the object; occlusion: share of its "
                    + "LiDAR exposure hidden by nearer surfaces; truncation_<camera>: share of its outline outside that image; "
                    + "radar_returns: returns from the object over all radars."),
            coordinateSystems: ["lidar": .init(type: "sensor_cs")],
            streams: [
                "lidar": .init(
                    type: .lidar,
                    description:
                        "\(lidar.beamElevations.count)-beam spinning LiDAR, \(Int((1 / lidar.sweepDuration).rounded())) Hz"
                )
            ])
        for camera in cameras {
            document.coordinateSystems["lidar"]!.children.append(camera.name)
            document.coordinateSystems[camera.name] = .init(
                type: "sensor_cs", parent: "lidar", poseInParent: camera.cameraFromLidar.inverse)
            let k = camera.cameraMatrix
            document.streams[camera.name] = .init(
                type: .camera, uri: "images/\(camera.name)/",
                intrinsics: .init(
                    cameraMatrix: Matrix3x4(rows: SIMD4(k.row0, 0), SIMD4(k.row1, 0), SIMD4(k.row2, 0)),
                    distortion: camera.distortion, width: camera.width, height: camera.height))
        }
        for (index, frame) in frames.enumerated() {
            var objects: [String: [OpenLABELDocument.CuboidLabel]] = [:]
            for truth in frame.groundTruth {
                let uid = String(truth.trackID)
                document.objects[uid] = .init(
                    name: "\(truth.objectClass.rawValue)-\(truth.trackID)", type: truth.objectClass.labelName)
                var attributes = OpenLABELDocument.Attributes(numbers: [
                    "points": Double(truth.points), "occlusion": truth.occlusion, "capture_time": truth.captureTime,
                    "radar_returns": Double(truth.radarReturns)
                ])
                for (camera, truncation) in truth.truncation { attributes.numbers["truncation_" + camera] = truncation }
                origin.record(in: &attributes)
                objects[uid] = [.init(coordinateSystem: "lidar", cuboid: truth.box, attributes: attributes)]
            }
            document.frames[index] = .init(timestamp: frame.timestamp, objects: objects)
        }
        return document
    }
}
