import Foundation
import FusionGeometry

extension SceneManifest {
    /// Parses a manifest and checks what JSON alone cannot: format and version, finite numbers,
    /// unit-length rotations, unique frame indices and sensor names (plain names: they become
    /// parts of output file names, so no path separators, control characters, `.` or `..`), strictly increasing
    /// timestamps, images and radar scans only for declared sensors, and relative paths that stay inside the scene
    /// folder (`ScenePath`). File existence is checked by `Scene.open`.
    public static func parse(_ data: Data, file: String = "<memory>") throws(ReadError) -> SceneManifest {
        let wire = try JSONFile.decode(Wire.Manifest.self, from: data, file: file)
        func fail(_ path: String, _ message: String) -> ReadError {
            ReadError(file: file, location: .jsonPath(path), message: message)
        }
        guard wire.format == formatName else {
            throw fail("format", "expected \"\(formatName)\", found \"\(wire.format)\"")
        }
        guard wire.version == formatVersion else {
            throw fail("version", "expected version \(formatVersion), found \(wire.version)")
        }

        /// A name that can be part of a file name in an output folder without leaving it.
        func checkName(_ name: String, at path: String) throws(ReadError) {
            let plain =
                !name.isEmpty && name.utf8.count <= 128 && name != "." && name != ".."
                && !name.unicodeScalars.contains { $0 == "/" || $0 == "\\" || $0.value < 0x20 || $0.value == 0x7F }
            guard plain else {
                throw fail(
                    path,
                    "expected a plain sensor name (1 to 128 bytes, no path separators or control characters, not . or ..), found \"\(name)\""
                )
            }
        }
        try checkName(wire.lidar.name, at: "lidar.name")
        let lidar = Lidar(
            name: wire.lidar.name,
            egoFromLidar: try wire.lidar.egoFromLidar?.transform(at: "lidar.egoFromLidar", file: file) ?? .identity)
        var cameras: [Camera] = []
        for (position, camera) in wire.cameras.enumerated() {
            let path = "cameras[\(position)]"
            try checkName(camera.name, at: path + ".name")
            guard !cameras.contains(where: { $0.name == camera.name }) else {
                throw fail(path + ".name", "camera name \"\(camera.name)\" is used twice")
            }
            guard camera.width > 0, camera.height > 0, camera.width <= 1 << 16, camera.height <= 1 << 16 else {
                throw fail(
                    path, "expected an image size between 1 and 65536 pixels, found \(camera.width)×\(camera.height)")
            }
            let k = camera.intrinsics
            guard [k.fx, k.fy, k.cx, k.cy].allSatisfy(\.isFinite), k.fx > 0, k.fy > 0 else {
                throw fail(path + ".intrinsics", "expected finite intrinsics with positive focal lengths")
            }
            let lens = camera.distortion?.model ?? .pinhole
            let coefficients = camera.distortion?.coefficients ?? []
            let allowed: Set<Int> = lens == .fisheye ? [0, 4] : [0, 4, 5, 8, 12, 14]
            guard allowed.contains(coefficients.count), coefficients.allSatisfy(\.isFinite) else {
                throw fail(
                    path + ".distortion",
                    "a \(lens.rawValue) lens takes \(allowed.sorted().map(String.init).joined(separator: ", ")) finite coefficients, found \(coefficients.count)"
                )
            }
            cameras.append(
                Camera(
                    name: camera.name, width: camera.width, height: camera.height, fx: k.fx, fy: k.fy, cx: k.cx,
                    cy: k.cy,
                    lens: lens, distortion: coefficients,
                    cameraFromLidar: try camera.cameraFromLidar.transform(at: path + ".cameraFromLidar", file: file)))
        }

        var radars: [Radar] = []
        for (position, radar) in (wire.radars ?? []).enumerated() {
            let path = "radars[\(position)]"
            try checkName(radar.name, at: path + ".name")
            guard !radars.contains(where: { $0.name == radar.name }) else {
                throw fail(path + ".name", "radar name \"\(radar.name)\" is used twice")
            }
            radars.append(
                Radar(
                    name: radar.name,
                    radarFromLidar: try radar.radarFromLidar.transform(at: path + ".radarFromLidar", file: file)))
        }

        var frames: [Frame] = []
        for (position, frame) in wire.frames.enumerated() {
            let path = "frames[\(position)]"
            guard frame.timestamp.isFinite else {
                throw fail(path + ".timestamp", "expected a finite timestamp in seconds")
            }
            if let previous = frames.last {
                guard frame.index > previous.index else {
                    throw fail(path + ".index", "expected frame indices in increasing order")
                }
                guard frame.timestamp > previous.timestamp else {
                    throw fail(path + ".timestamp", "expected timestamps in increasing order")
                }
            }
            guard frame.index >= 0 else { throw fail(path + ".index", "expected a non-negative frame index") }
            for camera in (frame.images ?? [:]).keys where !cameras.contains(where: { $0.name == camera }) {
                throw fail(path + ".images.\(camera)", "no camera named \"\(camera)\" in cameras")
            }
            for radar in (frame.radar ?? [:]).keys where !radars.contains(where: { $0.name == radar }) {
                throw fail(path + ".radar.\(radar)", "no radar named \"\(radar)\" in radars")
            }
            frames.append(
                Frame(
                    index: frame.index, timestamp: frame.timestamp, lidar: frame.lidar, images: frame.images ?? [:],
                    radar: frame.radar ?? [:],
                    worldFromEgo: try frame.worldFromEgo?.transform(at: path + ".worldFromEgo", file: file)))
        }
        let manifest = SceneManifest(
            name: wire.name, description: wire.description, lidar: lidar, cameras: cameras, radars: radars,
            frames: frames, labels: wire.labels ?? [])
        for (jsonPath, relative) in manifest.referencedFiles {
            do {
                _ = try ScenePath(relative)
            } catch {
                throw fail(jsonPath, error.message)
            }
        }
        return manifest
    }

    /// The manifest as JSON (pretty, keys sorted: the same manifest always gives the same bytes).
    public func data(file: String = SceneManifest.fileName) throws(WriteError) -> Data {
        let wire = Wire.Manifest(
            format: Self.formatName, version: Self.formatVersion, name: name, description: description,
            lidar: Wire.Lidar(name: lidar.name, egoFromLidar: Wire.Transform(lidar.egoFromLidar)),
            cameras: cameras.map { camera in
                Wire.Camera(
                    name: camera.name, width: camera.width, height: camera.height,
                    intrinsics: Wire.Intrinsics(fx: camera.fx, fy: camera.fy, cx: camera.cx, cy: camera.cy),
                    distortion: Wire.Distortion(model: camera.lens, coefficients: camera.distortion),
                    cameraFromLidar: Wire.Transform(camera.cameraFromLidar))
            },
            radars: radars.isEmpty
                ? nil : radars.map { Wire.Radar(name: $0.name, radarFromLidar: Wire.Transform($0.radarFromLidar)) },
            frames: frames.map { frame in
                Wire.Frame(
                    index: frame.index, timestamp: frame.timestamp, lidar: frame.lidar,
                    images: frame.images.isEmpty ? nil : frame.images, radar: frame.radar.isEmpty ? nil : frame.radar,
                    worldFromEgo: frame.worldFromEgo.map(Wire.Transform.init))
            },
            labels: labels.isEmpty ? nil : labels)
        return try JSONFile.encode(wire, file: file)
    }

    /// The JSON layout of `scene.json`.
    enum Wire {
        struct Manifest: Codable {
            var format: String
            var version: Int
            var name: String
            var description: String?
            var lidar: Lidar
            var cameras: [Camera]
            var radars: [Radar]?
            var frames: [Frame]
            var labels: [String]?
        }

        struct Radar: Codable {
            var name: String
            var radarFromLidar: Transform
        }

        struct Lidar: Codable {
            var name: String
            var egoFromLidar: Transform?
        }

        struct Intrinsics: Codable {
            var fx: Double, fy: Double, cx: Double, cy: Double
        }

        struct Distortion: Codable {
            var model: LensModel
            var coefficients: [Double]
        }

        struct Camera: Codable {
            var name: String
            var width: Int
            var height: Int
            var intrinsics: Intrinsics
            var distortion: Distortion?
            var cameraFromLidar: Transform
        }

        struct Frame: Codable {
            var index: Int
            var timestamp: Double
            var lidar: String
            var images: [String: String]?
            var radar: [String: String]?
            var worldFromEgo: Transform?
        }

        struct Quaternion: Codable {
            var w: Double, x: Double, y: Double, z: Double
        }

        struct Vector: Codable {
            var x: Double, y: Double, z: Double
        }

        struct Transform: Codable {
            var rotation: Quaternion
            var translation: Vector

            init(_ transform: RigidTransform) {
                let q = transform.rotation
                let t = transform.translation
                rotation = Quaternion(w: q.w, x: q.x, y: q.y, z: q.z)
                translation = Vector(x: t.x, y: t.y, z: t.z)
            }

            /// The transform; the quaternion must be unit length within 1e-6 (a typo in a pose
            /// should not be normalised away silently).
            func transform(at path: String, file: String) throws(ReadError) -> RigidTransform {
                let q = rotation
                let t = translation
                let values = [q.w, q.x, q.y, q.z, t.x, t.y, t.z]
                let norm = (q.w * q.w + q.x * q.x + q.y * q.y + q.z * q.z).squareRoot()
                guard values.allSatisfy(\.isFinite), abs(norm - 1) <= 1e-6 else {
                    throw ReadError(
                        file: file, location: .jsonPath(path),
                        message: "expected a finite translation and a unit quaternion, found norm \(norm)")
                }
                return RigidTransform(
                    rotation: UnitQuaternion(w: q.w, x: q.x, y: q.y, z: q.z), translation: SIMD3(t.x, t.y, t.z))
            }
        }
    }
}
