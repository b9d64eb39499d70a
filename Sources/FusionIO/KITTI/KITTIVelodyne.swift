import Foundation
import FusionGeometry

/// KITTI Velodyne scans (`velodyne/*.bin`): little-endian float32 records `x y z reflectance`,
/// 16 bytes per point, in the Velodyne frame (x forward, y left, z up, metres; reflectance 0...1).
public enum KITTIVelodyne {
    /// Reads a scan; reflectance becomes `attributes.intensity`.
    public static func read(contentsOf path: String) throws(ReadError) -> PointCloud {
        try read(try FileAccess.contents(of: path), file: path)
    }

    /// Reads a scan held in memory; `file` names it in errors.
    /// - Throws: `ReadError` when the size is not a whole number of 16-byte records.
    /// - Complexity: O(n), one pass that splits the records into four columns.
    public static func read(_ data: Data, file: String = "<memory>") throws(ReadError) -> PointCloud {
        guard data.count % 16 == 0 else {
            throw ReadError(file: file, location: .byteOffset(data.count - data.count % 16),
                            message: "expected 16-byte records (x y z reflectance as float32), \(data.count % 16) bytes are left over")
        }
        let count = data.count / 16
        var x = [Float](repeating: 0, count: count), y = x, z = x, intensity = x
        data.withUnsafeBytes { bytes in
            for index in 0..<count {
                let record = bytes.loadUnaligned(fromByteOffset: 16 * index, as: SIMD4<Float>.self)
                x[index] = record.x
                y[index] = record.y
                z[index] = record.z
                intensity[index] = record.w
            }
        }
        return PointCloud(x: x, y: y, z: z, attributes: PointAttributes(intensity: intensity))
    }

    /// The `.bin` bytes of `cloud` (reflectance 0 where the cloud has no intensity).
    public static func data(for cloud: PointCloud) -> Data {
        let intensity = cloud.attributes.intensity ?? [Float](repeating: 0, count: cloud.count)
        var records = [SIMD4<Float>](repeating: .zero, count: cloud.count)
        for index in 0..<cloud.count {
            records[index] = SIMD4(cloud.x[index], cloud.y[index], cloud.z[index], intensity[index])
        }
        return records.withUnsafeBytes { Data($0) }
    }
}
