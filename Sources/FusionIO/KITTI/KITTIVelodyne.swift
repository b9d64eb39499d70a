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
            throw ReadError(
                file: file, location: .byteOffset(data.count - data.count % 16),
                message:
                    "expected 16-byte records (x y z reflectance as float32), \(data.count % 16) bytes are left over")
        }
        let count = data.count / 16
        let (x, y, z, intensity) = data.withUnsafeBytes { bytes in
            (
                column(bytes, at: 0, count: count), column(bytes, at: 4, count: count),
                column(bytes, at: 8, count: count), column(bytes, at: 12, count: count)
            )
        }
        return PointCloud(x: x, y: y, z: z, attributes: PointAttributes(intensity: intensity))
    }

    /// Every 16th float starting at byte `offset`.
    private static func column(_ bytes: UnsafeRawBufferPointer, at offset: Int, count: Int) -> [Float] {
        [Float](unsafeUninitializedCapacity: count) { output, initialized in
            for index in 0..<count {
                output[index] = bytes.loadUnaligned(fromByteOffset: 16 * index + offset, as: Float.self)
            }
            initialized = count
        }
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
