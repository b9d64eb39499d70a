import FusionGeometry
import FusionTestSupport
import Testing

@testable import FusionIO

/// PCL's own test clouds, checked against the table in `pcl/SOURCE.md`.
@Suite(SharedScenes.required)
struct PCDSharedSceneTests {
    struct Expectation: CustomTestStringConvertible, Sendable {
        var file: String
        var encoding: PCDHeader.Encoding
        var width: Int
        var height: Int
        var fields: [String]
        /// Points with a NaN in any field, as counted by the SOURCE.md author's independent reader.
        var pointsWithNaN: Int
        var testDescription: String { file }
    }

    static let table: [Expectation] = [
        .init(
            file: "bun0.pcd", encoding: .ascii, width: 397, height: 1,
            fields: ["x", "y", "z", "normal_x", "normal_y", "normal_z", "curvature"], pointsWithNaN: 0),
        .init(
            file: "nhood_test.pcd", encoding: .ascii, width: 36, height: 1, fields: ["x", "y", "z", "intensity"],
            pointsWithNaN: 0),
        .init(
            file: "sac_plane_test.pcd", encoding: .ascii, width: 3283, height: 1,
            fields: ["x", "y", "z", "normal_x", "normal_y", "normal_z", "curvature"], pointsWithNaN: 15),
        .init(
            file: "lamppost.pcd", encoding: .ascii, width: 1771, height: 1, fields: ["x", "y", "z"], pointsWithNaN: 0),
        .init(
            file: "colored_cloud.pcd", encoding: .binary, width: 1, height: 1000,
            fields: ["x", "y", "z", "rgb", "normal_x", "normal_y", "normal_z", "curvature"], pointsWithNaN: 0),
        .init(
            file: "office1_keypoints.pcd", encoding: .binary, width: 1318, height: 1,
            fields: ["x", "y", "z", "intensity"], pointsWithNaN: 0),
        .init(
            file: "curve_close.pcd", encoding: .binary, width: 110, height: 1, fields: ["x", "y", "z"], pointsWithNaN: 0
        ),
        .init(
            file: "milk.pcd", encoding: .binaryCompressed, width: 13704, height: 1, fields: ["x", "y", "z"],
            pointsWithNaN: 0),
        .init(
            file: "car6.pcd", encoding: .binaryCompressed, width: 10031, height: 1, fields: ["x", "y", "z"],
            pointsWithNaN: 0),
        .init(
            file: "cturtle.pcd", encoding: .binaryCompressed, width: 167_198, height: 1,
            fields: ["x", "y", "z", "intensity"], pointsWithNaN: 0),
        .init(
            file: "table_scene_mug_stereo_textured.pcd", encoding: .binaryCompressed, width: 640, height: 480,
            fields: ["x", "y", "z", "rgba"], pointsWithNaN: 97_920)
    ]

    @Test(arguments: table)
    func countsFieldsAndNaNsMatchTheSourceTable(expected: Expectation) throws {
        let file = try PCDReader.read(contentsOf: try SharedScenes.path("pcl/" + expected.file))
        #expect(file.header.encoding == expected.encoding)
        #expect(file.header.fields.map(\.name) == expected.fields)
        #expect(file.cloud.count == expected.width * expected.height)
        if expected.height > 1 {
            #expect(file.cloud.layout == .organized(width: expected.width, height: expected.height))
        }
        #expect(pointsWithNaN(file.cloud) == expected.pointsWithNaN)
    }

    @Test func packedColoursAreDecoded() throws {
        let table = try PCDReader.read(contentsOf: try SharedScenes.path("pcl/table_scene_mug_stereo_textured.pcd"))
            .cloud
        let colors = try #require(table.attributes.color)
        #expect(Set(colors.map(\.red)).count > 100)  // a textured scene, not one flat colour
        let colored = try PCDReader.read(contentsOf: try SharedScenes.path("pcl/colored_cloud.pcd")).cloud
        #expect(colored.attributes.color?.count == 1000)
        #expect(colored.attributes.scalars["normal_x"]?.count == 1000)
    }

    func pointsWithNaN(_ cloud: PointCloud) -> Int {
        let scalarColumns = Array(cloud.attributes.scalars.values) + [cloud.attributes.intensity].compactMap { $0 }
        return (0..<cloud.count).filter { index in
            cloud.x[index].isNaN || cloud.y[index].isNaN || cloud.z[index].isNaN
                || scalarColumns.contains { $0[index].isNaN }
        }.count
    }
}
