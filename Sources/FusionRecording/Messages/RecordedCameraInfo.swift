import FusionGeometry
import FusionIO

/// `sensor_msgs/CameraInfo`: the intrinsics of the raw image (K and D), in the engine's lens models.
public struct RecordedCameraInfo: Equatable, Sendable {
    public var header: RecordedHeader
    public var width: Int
    public var height: Int
    public var fx: Double
    public var fy: Double
    public var cx: Double
    public var cy: Double
    public var lens: SceneManifest.LensModel
    /// OpenCV's order: k1 k2 p1 p2 k3 [k4 k5 k6] for a pinhole lens, k1 k2 k3 k4 for a fisheye.
    public var distortion: [Double]

    /// Reads K and D (`k`, `d` in ROS 2, `K`, `D` in ROS 1): `plumb_bob` (5 coefficients) and `rational_polynomial` (8) are pinhole lenses with
    /// OpenCV's coefficients, `equidistant` (4) is OpenCV's fisheye.
    /// - Throws: `MessageDecodingError` for another model, a coefficient count the model does not
    ///   have, a non-finite value or a focal length that is not positive.
    public init(_ message: MessageRecord) throws(MessageDecodingError) {
        header = try RecordedHeader(of: message)
        width = try message.field("width").int()
        height = try message.field("height").int()
        // ROS 2 names the matrices k and d, ROS 1 K and D.
        func numbers(_ name: String) throws(MessageDecodingError) -> [Double] {
            let field: MessageValue
            if let value = message.optionalField(name) {
                field = value
            } else {
                field = try message.field(name.uppercased())
            }
            return try field.list().map { value throws(MessageDecodingError) in try value.double() }
        }
        let k = try numbers("k")
        let d = try numbers("d")
        let model = try message.field("distortion_model").text()
        guard k.count == 9, k.allSatisfy(\.isFinite), d.allSatisfy(\.isFinite), k[0] > 0, k[4] > 0 else {
            throw MessageDecodingError(
                message:
                    "CameraInfo of \(header.frameID): K must be 9 finite values with positive focal lengths, D finite")
        }
        (fx, fy, cx, cy) = (k[0], k[4], k[2], k[5])
        switch (model, d.count) {
        case ("plumb_bob", 0), ("plumb_bob", 4), ("plumb_bob", 5), ("rational_polynomial", 8), ("", 0):
            lens = .pinhole
        case ("equidistant", 4), ("fisheye", 4):
            lens = .fisheye
        default:
            throw MessageDecodingError(
                message:
                    "CameraInfo of \(header.frameID): distortion model \"\(model)\" with \(d.count) coefficients is not read (plumb_bob 5, rational_polynomial 8, equidistant 4 are)"
            )
        }
        distortion = d.allSatisfy { $0 == 0 } ? [] : d
    }

    /// The camera as a scene declares it.
    public func sceneCamera(name: String, cameraFromLidar: RigidTransform) -> SceneManifest.Camera {
        SceneManifest.Camera(
            name: name, width: width, height: height, fx: fx, fy: fy, cx: cx, cy: cy, lens: lens,
            distortion: distortion, cameraFromLidar: cameraFromLidar)
    }
}
