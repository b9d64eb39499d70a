import FusionGeometry
import FusionReference
import FusionTestSupport
import Testing

@testable import FusionCalibration

/// Our SIMD projection against OpenCV's `projectPoints` (through the shim) on real sweeps and calibrations,
/// with every lens model: the real (undistorted) one and strong distortions put on the real camera.
@Suite(SharedScenes.required)
struct PointProjectionAgainstOpenCVTests {
    struct Lens: CustomTestStringConvertible, Sendable {
        var name: String
        var distortion: LensDistortion
        var testDescription: String { name }
    }

    static let lenses: [Lens] = [
        Lens(name: "none", distortion: .none),
        Lens(name: "Brown-Conrady 4", distortion: .brownConrady(.init(k1: -0.28, k2: 0.09, p1: 1.2e-3, p2: -6e-4))),
        Lens(
            name: "Brown-Conrady 5",
            distortion: .brownConrady(.init(k1: -0.31, k2: 0.12, p1: 8e-4, p2: -4e-4, k3: -0.025))),
        Lens(
            name: "rational 8",
            distortion: .brownConrady(
                .init(
                    k1: 0.6, k2: -0.05, p1: 5e-4, p2: 3e-4, k3: 0.01,
                    k4: 0.9, k5: 0.02, k6: 0.001))),
        Lens(name: "fisheye", distortion: .fisheye(.init(k1: -0.02, k2: 0.004, k3: -0.001, k4: 0.0002)))
    ]

    @Test(arguments: RealFrame.all, lenses)
    func pixelsMatchOpenCVWithinAThousandthOfAPixel(frame: RealFrame, lens: Lens) throws {
        var camera = try frame.camera()
        camera.distortion = lens.distortion
        let cloud = try frame.cloud()
        let projected = camera.project(cloud)
        let inside = projected.indicesInsideImage
        #expect(inside.count > 2_000, "a real sweep puts thousands of points into a camera")

        let points = inside.map { SIMD3<Double>(cloud[$0]) }
        let reference = try OpenCVReference.projectPoints(
            points, cameraFromSource: camera.cameraFromLidar, cameraMatrix: camera.intrinsics.cameraMatrix,
            lens: lens.distortion.isFisheye ? .fisheye : .pinhole, distortion: lens.distortion.openCVCoefficients)
        var worst = 0.0
        for (position, index) in inside.enumerated() {
            let ours = SIMD2<Double>(projected.pixel(at: index))
            let difference = ours - reference[position]
            worst = max(worst, (difference * difference).sum().squareRoot())
            #expect(abs(Double(projected.depth[index]) - camera.cameraFromLidar.apply(to: points[position]).z) < 1e-4)
        }
        #expect(worst < 1e-3, "largest pixel difference from cv::projectPoints: \(worst) px")
    }

    @Test(arguments: RealFrame.kitti)
    func flagsAgreeWithADirectTestOfEveryPoint(frame: RealFrame) throws {
        let camera = try frame.camera()
        let cloud = try frame.cloud()
        let projected = camera.project(cloud)
        for index in stride(from: 0, to: cloud.count, by: 7) {
            let point = camera.cameraFromLidar.apply(to: SIMD3<Double>(cloud[index]))
            let inFront = point.z > camera.nearPlane
            let pixel = SIMD2(
                camera.intrinsics.fx * point.x / point.z + camera.intrinsics.cx,
                camera.intrinsics.fy * point.y / point.z + camera.intrinsics.cy)
            let flags = projected.flags(at: index)
            #expect(flags.contains(.inFront) == inFront)
            // Points within a hair of the border may round either way in Float.
            let margin = 1e-3
            if inFront, camera.imageSize.contains(u: pixel.x - margin, v: pixel.y - margin),
                camera.imageSize.contains(u: pixel.x + margin, v: pixel.y + margin)
            {
                #expect(flags.contains(.insideImage))
            } else if !inFront || !camera.imageSize.contains(u: pixel.x, v: pixel.y) {
                #expect(!flags.contains(.insideImage))
            }
        }
    }
}
