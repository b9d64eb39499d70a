import FusionGeometry

/// A KITTI calibration file (`calib/*.txt`) of the object or tracking benchmark.
///
/// Lines are `KEY: v1 v2 ...` (object benchmark) or `KEY v1 v2 ...` (original tracking files);
/// both spellings of the keys are accepted: `R0_rect`/`R_rect`, `Tr_velo_to_cam`/`Tr_velo_cam`,
/// `Tr_imu_to_velo`/`Tr_imu_velo`. A Velodyne point X lands in the image of camera 2 at
/// `P2 · R0_rect · Tr_velo_to_cam · [X; 1]`, divided by its third component.
public struct KITTICalibration: Equatable, Sendable {
    /// Projection matrices of the rectified cameras 0-3 (rectified camera 0 frame → pixels).
    /// Camera 2 is the left colour camera.
    public var projections: [Matrix3x4]
    /// R0_rect: rotates camera 0 coordinates into the rectified camera 0 frame.
    public var rectification: Matrix3x3
    /// Tr_velo_to_cam: Velodyne → camera 0 (unrectified), as written in the file.
    public var cameraFromVelodyne: Matrix3x4
    /// Tr_imu_to_velo, when the file has it.
    public var velodyneFromIMU: Matrix3x4?

    /// The Velodyne → rectified camera 0 motion, `R0_rect · Tr_velo_to_cam`. The frame KITTI boxes
    /// are given in: x right, y down, z forward.
    public let rectifiedCameraFromLidar: RigidTransform

    /// The largest orthonormality error accepted in R0_rect and in the rotation of Tr_velo_to_cam.
    static let rotationTolerance = 1e-3

    /// A calibration from its matrices.
    /// - Throws: `ReadError` (location `.file`) when R0_rect or Tr_velo_to_cam's rotation is not a
    ///   proper rotation: a singular or mirrored calibration would put every box in the wrong place.
    public init(
        projections: [Matrix3x4], rectification: Matrix3x3, cameraFromVelodyne: Matrix3x4,
        velodyneFromIMU: Matrix3x4? = nil, file: String = "<memory>"
    ) throws(ReadError) {
        precondition(projections.count == 4, "KITTI has four projection matrices P0...P3")
        for (name, matrix) in [("R0_rect", rectification), ("Tr_velo_to_cam", cameraFromVelodyne.linearPart)] {
            if let problem = Self.rotationProblem(matrix, name: name) {
                throw ReadError(file: file, location: .file, message: problem)
            }
        }
        self.projections = projections
        self.rectification = rectification
        self.cameraFromVelodyne = cameraFromVelodyne
        self.velodyneFromIMU = velodyneFromIMU
        rectifiedCameraFromLidar =
            RigidTransform(rotation: UnitQuaternion(rotationMatrix: rectification))
            * RigidTransform(matrix: cameraFromVelodyne)
    }

    /// P2, the left colour camera's projection matrix.
    public var leftColorProjection: Matrix3x4 { projections[2] }

    /// Reads a calibration file.
    public static func read(contentsOf path: String) throws(ReadError) -> KITTICalibration {
        try parse(try FileAccess.text(of: path), file: path)
    }

    /// Parses calibration text; `file` names it in errors.
    public static func parse(_ text: String, file: String = "<memory>") throws(ReadError) -> KITTICalibration {
        var matrices: [String: (values: [Double], record: TextRecord)] = [:]
        for record in TextRecord.records(in: text, file: file) {
            var key = String(record.fields[0])
            if key.hasSuffix(":") { key.removeLast() }
            let canonical = aliases[key] ?? key
            let values = try record.doubles(1..<record.fields.count, key)
            matrices[canonical] = (values, record)
        }
        func matrix(_ key: String, count: Int, required: Bool = true) throws(ReadError) -> [Double]? {
            guard let entry = matrices[key] else {
                if required { throw ReadError(file: file, location: .file, message: "expected a \(key) line") }
                return nil
            }
            guard entry.values.count == count else {
                throw entry.record.error("expected \(count) numbers after \(key), found \(entry.values.count)")
            }
            return entry.values
        }
        var projections: [Matrix3x4] = []
        for index in 0..<4 {
            projections.append(Matrix3x4(rowMajor: try matrix("P\(index)", count: 12)!))
        }
        let rectification = Matrix3x3(rowMajor: try matrix("R0_rect", count: 9)!)
        let cameraFromVelodyne = Matrix3x4(rowMajor: try matrix("Tr_velo_to_cam", count: 12)!)
        // Checked here as well as in `init`, so that the error names the line.
        for (name, linearPart) in [("R0_rect", rectification), ("Tr_velo_to_cam", cameraFromVelodyne.linearPart)] {
            if let problem = rotationProblem(linearPart, name: name), let record = matrices[name]?.record {
                throw record.error(problem)
            }
        }
        return try KITTICalibration(
            projections: projections, rectification: rectification, cameraFromVelodyne: cameraFromVelodyne,
            velodyneFromIMU: try matrix("Tr_imu_to_velo", count: 12, required: false).map(Matrix3x4.init(rowMajor:)),
            file: file)
    }

    /// Why `matrix` is not a proper rotation, or nil when it is one.
    static func rotationProblem(_ matrix: Matrix3x3, name: String) -> String? {
        matrix.isRotation(tolerance: rotationTolerance)
            ? nil
            : "\(name) is not a rotation (orthonormality error \(matrix.orthonormalityError), determinant \(matrix.determinant))"
    }

    /// The calibration in the object-benchmark spelling (`KEY: values`), numbers written exactly.
    public var text: String {
        var lines = projections.enumerated().map {
            "P\($0.offset): " + $0.element.rowMajor.map(exactText).joined(separator: " ")
        }
        lines.append("R0_rect: " + rectification.rowMajor.map(exactText).joined(separator: " "))
        lines.append("Tr_velo_to_cam: " + cameraFromVelodyne.rowMajor.map(exactText).joined(separator: " "))
        if let velodyneFromIMU {
            lines.append("Tr_imu_to_velo: " + velodyneFromIMU.rowMajor.map(exactText).joined(separator: " "))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static let aliases = ["R_rect": "R0_rect", "Tr_velo_cam": "Tr_velo_to_cam", "Tr_imu_velo": "Tr_imu_to_velo"]
}
