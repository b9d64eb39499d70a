import Foundation
import FusionGeometry

/// Files of the SUSTech POINTS annotation tool: label JSON, camera calibration JSON, LiDAR PCD.
///
/// Its conventions: boxes by geometric centre in the LiDAR frame, `scale` x y z = length width
/// height, rotation as three.js "XYZ" Euler angles (`R = Rx · Ry · Rz`, radians); camera
/// calibration as a row-major 4×4 LiDAR → camera extrinsic (camera x right, y down, z forward)
/// and a row-major 3×3 K.
public enum SUSTechPOINTS {
    /// One labelled box of a frame; `id` persists across frames of a scene.
    public struct LabeledBox: Equatable, Sendable {
        public var type: String
        public var id: String
        /// In the LiDAR frame.
        public var cuboid: Cuboid
        /// Written as FusionLabel's extra keys `origin`, `generator` and `generator_seed` (the
        /// SUSTech tool ignores keys it does not know); nil when the file records none.
        public var origin: LabelOrigin?

        public init(type: String, id: String, cuboid: Cuboid, origin: LabelOrigin? = nil) {
            self.type = type
            self.id = id
            self.cuboid = cuboid
            self.origin = origin
        }
    }

    /// A camera of the rig.
    public struct CameraCalibration: Equatable, Sendable {
        public var cameraFromLidar: RigidTransform
        /// K, pixels.
        public var cameraMatrix: Matrix3x3
    }

    // MARK: Labels

    /// Reads a label file (`label/<frame>.json`).
    public static func readLabels(contentsOf path: String) throws(ReadError) -> [LabeledBox] {
        try parseLabels(try FileAccess.contents(of: path), file: path)
    }

    public static func parseLabels(_ data: Data, file: String = "<memory>") throws(ReadError) -> [LabeledBox] {
        try parseLabels(data, file: file) { error throws(ReadError) in throw error }
    }

    /// Reads a label file, leaving out the boxes that `readLabels(contentsOf:)` would refuse (a
    /// non-positive size, a non-finite number), each reported in `skipped`: for datasets whose
    /// conversion left a few degenerate boxes, where the rest are worth reading.
    /// - Throws: `ReadError` for a file that is not a label list at all.
    public static func readLabels(contentsOf path: String, skipped: inout [ReadError]) throws(ReadError) -> [LabeledBox]
    {
        var found: [ReadError] = []
        let boxes = try parseLabels(try FileAccess.contents(of: path), file: path) { error in found.append(error) }
        skipped += found
        return boxes
    }

    private static func parseLabels(_ data: Data, file: String, invalid: (ReadError) throws(ReadError) -> Void)
        throws(ReadError) -> [LabeledBox]
    {
        let entries = try JSONFile.decode([LabelEntry].self, from: data, file: file)
        var boxes: [LabeledBox] = []
        for (index, entry) in entries.enumerated() {
            let psr = entry.psr
            let size = Size3(length: psr.scale.x, width: psr.scale.y, height: psr.scale.z)
            let values = [
                psr.position.x, psr.position.y, psr.position.z, psr.rotation.x, psr.rotation.y, psr.rotation.z
            ]
            guard values.allSatisfy(\.isFinite), size.isValid else {
                try invalid(
                    ReadError(
                        file: file, location: .jsonPath("[\(index)].psr"),
                        message: "expected finite position and rotation and positive scale"))
                continue
            }
            let origin = LabelOrigin(
                attributes: OpenLABELDocument.Attributes(
                    texts: [
                        LabelOrigin.originKey: entry.origin, LabelOrigin.generatorKey: entry.generator,
                        LabelOrigin.seedKey: entry.generator_seed
                    ].compactMapValues { $0 }))
            boxes.append(
                LabeledBox(
                    type: entry.obj_type, id: entry.obj_id,
                    cuboid: Cuboid(
                        center: SIMD3(psr.position.x, psr.position.y, psr.position.z),
                        size: size,
                        rotation: UnitQuaternion(eulerXYZ: SIMD3(psr.rotation.x, psr.rotation.y, psr.rotation.z))),
                    origin: origin))
        }
        return boxes
    }

    /// The label JSON for `boxes`, in SUSTech POINTS' own layout.
    public static func labelsData(for boxes: [LabeledBox]) throws(WriteError) -> Data {
        let entries = boxes.map { box in
            let angles = box.cuboid.rotation.eulerXYZ
            var origin = OpenLABELDocument.Attributes()
            box.origin?.record(in: &origin)
            return LabelEntry(
                obj_type: box.type, obj_id: box.id,
                psr: PSR(
                    position: XYZ(box.cuboid.center),
                    scale: XYZ(SIMD3(box.cuboid.size.length, box.cuboid.size.width, box.cuboid.size.height)),
                    rotation: XYZ(angles)),
                origin: origin.texts[LabelOrigin.originKey], generator: origin.texts[LabelOrigin.generatorKey],
                generator_seed: origin.texts[LabelOrigin.seedKey])
        }
        return try JSONFile.encode(entries, file: "<SUSTech labels>")
    }

    // MARK: Calibration

    /// Reads a camera calibration (`calib/camera/<camera>.json`).
    /// - Throws: `ReadError` when the extrinsic is not a rigid motion (last row 0 0 0 1, proper rotation).
    public static func readCameraCalibration(contentsOf path: String) throws(ReadError) -> CameraCalibration {
        try parseCameraCalibration(try FileAccess.contents(of: path), file: path)
    }

    public static func parseCameraCalibration(_ data: Data, file: String = "<memory>") throws(ReadError)
        -> CameraCalibration
    {
        let raw = try JSONFile.decode(CalibrationEntry.self, from: data, file: file)
        guard raw.extrinsic.count == 16, raw.extrinsic.allSatisfy(\.isFinite) else {
            throw ReadError(
                file: file, location: .jsonPath("extrinsic"), message: "expected 16 finite numbers (row-major 4×4)")
        }
        guard raw.intrinsic.count == 9, raw.intrinsic.allSatisfy(\.isFinite) else {
            throw ReadError(
                file: file, location: .jsonPath("intrinsic"), message: "expected 9 finite numbers (row-major 3×3)")
        }
        let top = Matrix3x4(rowMajor: Array(raw.extrinsic[0..<12]))
        guard Array(raw.extrinsic[12..<16]) == [0, 0, 0, 1], top.linearPart.isRotation(tolerance: 1e-3) else {
            throw ReadError(
                file: file, location: .jsonPath("extrinsic"),
                message:
                    "expected a rigid transform: a rotation (orthonormality error \(top.linearPart.orthonormalityError), determinant \(top.linearPart.determinant)) and a last row 0 0 0 1"
            )
        }
        let k = Matrix3x3(rowMajor: raw.intrinsic)
        guard k.row0.x > 0, k.row1.y > 0, k.row2 == SIMD3(0, 0, 1) else {
            throw ReadError(
                file: file, location: .jsonPath("intrinsic"),
                message: "expected a camera matrix with positive focal lengths and last row 0 0 1")
        }
        return CameraCalibration(cameraFromLidar: RigidTransform(matrix: top), cameraMatrix: k)
    }

    // MARK: LiDAR

    /// Reads a SUSTech POINTS LiDAR sweep (`lidar/<frame>.pcd`).
    ///
    /// The example scene's PCD header (`FIELDS x y z _ intensity _ timestamp _ ring _`, with a
    /// COUNT 0 padding field) does not describe its 48-byte records: the real layout has the
    /// timestamp (f64) at byte 24 and the ring (u16) at byte 32. When the header is exactly that
    /// one, this reader uses the real layout, so time and ring come out right too; any other
    /// header is read as it says.
    public static func readLidar(contentsOf path: String) throws(ReadError) -> PCDFile {
        try PCDReader.read(contentsOf: path, adjustingHeader: correctMisdescribedHeader)
    }

    /// Replaces the field list of the example scene's misdescribed LiDAR header (see `readLidar`)
    /// with the real record layout; leaves any other header alone. Pass it to `PCDReader.read`.
    public static func correctMisdescribedHeader(_ header: inout PCDHeader) {
        if header.fields == misdescribedFields { header.fields = actualFields }
    }

    static let misdescribedFields: [PCDHeader.Field] = [
        .init(name: "x", type: .float32), .init(name: "y", type: .float32), .init(name: "z", type: .float32),
        .init(name: "_", type: .uint8, count: 4), .init(name: "intensity", type: .float32),
        .init(name: "_", type: .uint8, count: 0),
        .init(name: "timestamp", type: .float64), .init(name: "_", type: .uint8, count: 6),
        .init(name: "ring", type: .uint16),
        .init(name: "_", type: .uint8, count: 12)
    ]

    static let actualFields: [PCDHeader.Field] = [
        .init(name: "x", type: .float32), .init(name: "y", type: .float32), .init(name: "z", type: .float32),
        .init(name: "_", type: .uint8, count: 4), .init(name: "intensity", type: .float32),
        .init(name: "_", type: .uint8, count: 4),
        .init(name: "timestamp", type: .float64), .init(name: "ring", type: .uint16),
        .init(name: "_", type: .uint8, count: 14)
    ]

    // MARK: JSON layout

    private struct XYZ: Codable {
        var x: Double, y: Double, z: Double
        init(_ vector: SIMD3<Double>) { (x, y, z) = (vector.x, vector.y, vector.z) }
    }

    private struct PSR: Codable {
        var position: XYZ, scale: XYZ, rotation: XYZ
    }

    private struct LabelEntry: Codable {
        var obj_type: String
        var obj_id: String
        var psr: PSR
        var origin: String?
        var generator: String?
        var generator_seed: String?
    }

    private struct CalibrationEntry: Decodable {
        var extrinsic: [Double]
        var intrinsic: [Double]
    }
}
