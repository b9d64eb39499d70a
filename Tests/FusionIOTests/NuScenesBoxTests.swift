import FusionGeometry
import Testing

@testable import FusionIO

@Suite struct NuScenesBoxTests {
    @Test func sizesAreWidthLengthHeightAndTheQuaternionScalarFirst() throws {
        let cuboid = Cuboid(center: SIMD3(1, 2, 3), size: Size3(length: 4.5, width: 1.9, height: 1.6), yaw: 0.7)
        let box = NuScenesBox(cuboid)
        #expect(box.size == [1.9, 4.5, 1.6])
        #expect(box.rotation[0] == cuboid.rotation.w && box.rotation[3] == cuboid.rotation.z)
        let back = try box.cuboid()
        #expect(back.size == cuboid.size && back.center == cuboid.center)
        #expect(back.rotation.angle(to: cuboid.rotation) < 1e-7)
    }

    @Test func invalidBoxesAreRefused() {
        #expect(throws: ReadError.self) {
            _ = try NuScenesBox(translation: [0, 0], size: [1, 1, 1], rotation: [1, 0, 0, 0]).cuboid()
        }
        #expect(throws: ReadError.self) {
            _ = try NuScenesBox(translation: [0, 0, 0], size: [1, 0, 1], rotation: [1, 0, 0, 0]).cuboid()
        }
        #expect(throws: ReadError.self) {
            _ = try NuScenesBox(translation: [0, 0, 0], size: [1, 1, 1], rotation: [0, 0, 0, 0]).cuboid()
        }
    }
}
