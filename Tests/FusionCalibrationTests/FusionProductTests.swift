import Foundation
import FusionGeometry
import FusionIO
import FusionTestSupport
import Testing

@testable import FusionCalibration

@Suite struct FusionProductTests {
    static let camera = ProjectionUnitTests.forwardCamera

    /// A 640×480 image whose left half is red and right half blue.
    static let image: RGBImage = {
        var image = RGBImage(size: ImageSize(width: 640, height: 480), filledWith: SIMD3(0, 0, 255))
        for row in 0..<480 {
            for column in 0..<320 {
                (image.pixels[3 * (row * 640 + column)], image.pixels[3 * (row * 640 + column) + 2]) = (255, 0)
            }
        }
        return image
    }()

    @Test func pointsTakeThePixelUnderThemUnlessHidden() {
        // Left of centre (lidar +y), right of centre, a point hidden 10 m behind the first, one behind the camera.
        let cloud = PointCloud(points: [SIMD3(10, 2, 0), SIMD3(10, -2, 0), SIMD3(20, 4, 0), SIMD3(-5, 0, 0)])
        let colored = cloud.colored(by: CameraRig([Self.camera]), images: [Self.image])
        let colors = colored.attributes.color!
        #expect(colors[0] == PointColor(red: 255, green: 0, blue: 0))
        #expect(colors[1] == PointColor(red: 0, green: 0, blue: 255))
        #expect(colors[2].alpha == 0, "hidden behind point 0 (same pixel, 10 m farther)")
        #expect(colors[3].alpha == 0)
    }

    @Test func sparseDepthKeepsTheNearestPointPerPixel() throws {
        let cloud = PointCloud(points: [SIMD3(10, 0, 0), SIMD3(30, 0, 0), SIMD3(8, 4, 1)])
        let depth = SparseDepthImage(Self.camera.project(cloud), imageSize: Self.camera.imageSize)
        #expect(depth.depth(column: 320, row: 240) == 10)
        #expect(depth.measuredPixelCount == 2)
        let png = try depth.kittiPNGData()
        // IHDR: width 640, height 480, bit depth 16, colour type 0 (grey).
        #expect(Array(png[16..<26]) == [0, 0, 2, 128, 0, 0, 1, 224, 16, 0])
    }

    @Test(SharedScenes.required)
    func aColoredKITTISweepSurvivesAPCDRoundTrip() throws {
        let frame = RealFrame.kitti[1]
        let camera = try frame.camera()
        let image = try frame.image()
        let colored = try frame.cloud().colored(by: CameraRig([camera]), images: [image])
        let seen = colored.attributes.color!.filter { $0.alpha == 255 }.count
        #expect(seen > 10_000 && seen <= camera.project(colored).insideImageCount)
        let path = TemporaryFiles.file("colored", suffix: ".pcd")
        defer { TemporaryFiles.remove(path) }
        try PCDWriter.write(colored, to: path, encoding: .binary)
        let back = try PCDReader.read(contentsOf: path).cloud
        #expect(back.attributes.color == colored.attributes.color)
    }
}
