import Foundation
import FusionGeometry

/// A box as nuScenes writes it (`sample_annotation.json`, devkit `Box`): `translation` = centre
/// (x y z, metres), `size` = **width, length, height**, `rotation` = quaternion **w x y z** (scalar
/// first). The box frame is ours: x along the length (heading), y left, z up.
struct NuScenesBox: Codable, Equatable, Sendable {
    public var translation: [Double]
    public var size: [Double]
    public var rotation: [Double]

    public init(translation: [Double], size: [Double], rotation: [Double]) {
        self.translation = translation
        self.size = size
        self.rotation = rotation
    }

    /// The nuScenes form of `cuboid`.
    public init(_ cuboid: Cuboid) {
        let q = cuboid.rotation
        self.init(
            translation: [cuboid.center.x, cuboid.center.y, cuboid.center.z],
            size: [cuboid.size.width, cuboid.size.length, cuboid.size.height],
            rotation: [q.w, q.x, q.y, q.z])
    }

    /// The box as a `Cuboid`, in the same frame.
    /// - Throws: `ReadError` at `jsonPath` when the arrays have the wrong length, a size is not
    ///   positive, or the quaternion is zero.
    public func cuboid(file: String = "<memory>", jsonPath: String = "") throws(ReadError) -> Cuboid {
        func fail(_ message: String) -> ReadError {
            ReadError(file: file, location: .jsonPath(jsonPath), message: message)
        }
        guard translation.count == 3, size.count == 3, rotation.count == 4,
            (translation + size + rotation).allSatisfy(\.isFinite)
        else {
            throw fail("expected finite translation (3), size (3, w l h) and rotation (4, w x y z)")
        }
        let dimensions = Size3(length: size[1], width: size[0], height: size[2])
        guard dimensions.isValid else { throw fail("expected positive sizes, found \(size)") }
        guard rotation.contains(where: { $0 != 0 }) else { throw fail("expected a non-zero quaternion") }
        return Cuboid(
            center: SIMD3(translation[0], translation[1], translation[2]), size: dimensions,
            rotation: UnitQuaternion(w: rotation[0], x: rotation[1], y: rotation[2], z: rotation[3]))
    }
}
