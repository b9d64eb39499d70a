import Foundation
import FusionGeometry
import FusionIO
import FusionTestSupport
import Testing

@testable import FusionReference

/// Our PCD reader agrees with `pcl::PCDReader` value for value on every real PCD file we have.
@Suite(SharedScenes.required)
struct PCDAgainstPCLTests {
    static let files =
        [
            "bun0.pcd", "nhood_test.pcd", "sac_plane_test.pcd", "lamppost.pcd", "colored_cloud.pcd",
            "office1_keypoints.pcd",
            "curve_close.pcd", "milk.pcd", "car6.pcd", "cturtle.pcd", "table_scene_mug_stereo_textured.pcd"
        ].map { "pcl/" + $0 } + [
            "nuscenes-radar/n008-2018-08-01-15-34-25-0400__RADAR_BACK_RIGHT__1533152711219287.pcd",
            "nuscenes-radar/n015-2018-07-25-16-15-50+0800__RADAR_BACK_LEFT__1532506682462345.pcd"
        ]

    @Test(arguments: files)
    func everyFieldOfEveryPointMatchesPCL(relativePath: String) throws {
        let path = try SharedScenes.path(relativePath)
        let ours = try PCDReader.read(contentsOf: path).cloud
        let pcl = try PCLReference.readPCD(at: path)
        #expect(pcl.pointCount == ours.count)
        #expect(
            pcl.height > 1
                ? ours.layout == .organized(width: pcl.width, height: pcl.height) : ours.layout == .unorganized)
        var compared = 0
        for field in pcl.fields where field.name != "_" {
            for element in 0..<field.elementCount {
                var reference = try pcl.values(of: field.name, element: element)
                if field.name == "rgb" {
                    reference = reference.map { colorBits($0, datatype: field.datatype, mask: 0x00FF_FFFF) }
                }
                let name = field.elementCount == 1 ? field.name : "\(field.name).\(element)"
                let mine = try #require(column(name, of: ours, datatype: field.datatype), "no column for \(name)")
                #expect(mine.count == reference.count)
                let mismatches = zip(mine, reference).filter { !($0 == $1 || ($0.isNaN && $1.isNaN)) }.count
                #expect(mismatches == 0, "\(relativePath) field \(name): \(mismatches) values differ from PCL")
                compared += 1
            }
        }
        #expect(compared >= 3)
    }

    /// Our column for a PCL field, as doubles (packed colours as their 24 colour bits, plus alpha for rgba).
    func column(_ name: String, of cloud: PointCloud, datatype: UInt8) -> [Double]? {
        let attributes = cloud.attributes
        switch name {
        case "x": return cloud.x.map(Double.init)
        case "y": return cloud.y.map(Double.init)
        case "z": return cloud.z.map(Double.init)
        case "intensity": return attributes.intensity?.map(Double.init)
        case "ring": return attributes.ring?.map(Double.init) ?? attributes.scalars[name]?.map(Double.init)
        case "rgb", "rgba":
            guard let colors = attributes.color else { return nil }
            // `rgb` carries no alpha of its own: compare the 24 colour bits only.
            let mask: UInt32 = name == "rgb" ? 0x00FF_FFFF : 0xFFFF_FFFF
            return colors.map { asDouble($0.packed & mask, datatype: datatype) }
        default: return attributes.scalars[name]?.map(Double.init)
        }
    }

    /// PCL hands packed colours back as numbers: the bits read as UINT32 (datatype 6) or FLOAT32 (7).
    func asDouble(_ bits: UInt32, datatype: UInt8) -> Double {
        datatype == 7 ? Double(Float(bitPattern: bits)) : Double(bits)
    }

    func colorBits(_ value: Double, datatype: UInt8, mask: UInt32) -> Double {
        let bits = datatype == 7 ? Float(value).bitPattern : UInt32(value)
        return asDouble(bits & mask, datatype: datatype)
    }
}

/// What our writer produces, PCL reads back unchanged.
@Suite struct PCDWriterAgainstPCLTests {
    @Test(arguments: [PCDWriter.Encoding.ascii, .binary, .binaryCompressed])
    func pclReadsOurFiles(encoding: PCDWriter.Encoding) throws {
        var random = SeededRandomNumberGenerator(seed: 21)
        let count = 5000
        let cloud = PointCloud(
            x: (0..<count).map { _ in Float(random.nextGaussian() * 20) },
            y: (0..<count).map { _ in Float(random.nextGaussian() * 20) },
            z: (0..<count).map { _ in Float(random.nextGaussian()) },
            attributes: PointAttributes(
                intensity: (0..<count).map { Float($0 % 100) }, ring: (0..<count).map { UInt16($0 % 32) },
                time: (0..<count).map { Double($0) * 1e-5 }))
        let path = TemporaryFiles.file("pcl-reads", suffix: ".pcd")
        defer { TemporaryFiles.remove(path) }
        try PCDWriter.write(cloud, to: path, encoding: encoding)
        let pcl = try PCLReference.readPCD(at: path)
        #expect(pcl.fields.map(\.name) == ["x", "y", "z", "intensity", "ring", "time"])
        #expect(try pcl.values(of: "x") == cloud.x.map(Double.init))
        #expect(try pcl.values(of: "z") == cloud.z.map(Double.init))
        #expect(try pcl.values(of: "intensity") == cloud.attributes.intensity!.map(Double.init))
        #expect(try pcl.values(of: "ring") == cloud.attributes.ring!.map(Double.init))
        #expect(try pcl.values(of: "time") == cloud.attributes.time!)
    }
}
