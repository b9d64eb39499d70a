internal import CFusionNative
internal import CFusionNativeIO
import FusionGeometry

/// PCL's own implementations, called through the native shim: the oracles that FusionLabel's Swift
/// code is tested and benchmarked against. Not meant for production paths.
public enum PCLReference {
    /// `pcl::VoxelGrid<PointXYZ>`: the centroid of the points in each occupied voxel (metres).
    /// Attributes are dropped. Points are copied into PCL's 16-byte layout first.
    public static func voxelGridCentroids(of cloud: PointCloud, leafSize: SIMD3<Float>) throws(NativeError) -> PointCloud {
        let input = paddedPoints(cloud)
        var output = [Float](repeating: 0, count: max(input.count, 4))
        var outputCount = 0
        let status = input.withUnsafeBufferPointer { points in
            output.withUnsafeMutableBufferPointer { result in
                fusion_native_pcl_voxel_grid(points.baseAddress!, cloud.count, leafSize.x, leafSize.y, leafSize.z,
                                             result.baseAddress!, cloud.count, &outputCount)
            }
        }
        try checked(status, "pcl::VoxelGrid")
        return PointCloud(x: (0..<outputCount).map { output[4 * $0] }, y: (0..<outputCount).map { output[4 * $0 + 1] },
                          z: (0..<outputCount).map { output[4 * $0 + 2] })
    }

    /// `pcl::EuclideanClusterExtraction<PointXYZ>` with a kd-tree: per point, the index of its
    /// cluster in PCL's order (largest first), or -1 when it is in no cluster of accepted size.
    /// - Parameters:
    ///   - tolerance: the largest gap, in metres, between neighbouring points of one cluster.
    ///   - sizes: the accepted cluster sizes, in points.
    public static func euclideanClusterLabels(of cloud: PointCloud, tolerance: Double,
                                              sizes: ClosedRange<Int>) throws(NativeError) -> (labels: [Int32], clusterCount: Int) {
        precondition(sizes.lowerBound >= 0, "cluster sizes are counts of points")
        let input = paddedPoints(cloud)
        var labels = [Int32](repeating: -1, count: max(cloud.count, 1))
        var clusterCount = 0
        let status = input.withUnsafeBufferPointer { points in
            labels.withUnsafeMutableBufferPointer { result in
                fusion_native_pcl_euclidean_clusters(points.baseAddress!, cloud.count, tolerance, sizes.lowerBound,
                                                     sizes.upperBound, result.baseAddress!, &clusterCount)
            }
        }
        try checked(status, "pcl::EuclideanClusterExtraction")
        return (Array(labels.prefix(cloud.count)), clusterCount)
    }

    /// Reads a PCD file with `pcl::PCDReader`.
    public static func readPCD(at path: String) throws(NativeError) -> PCLPointCloudBlob {
        var handle: OpaquePointer?
        try checked(fusion_native_pcl_read_pcd(path, &handle), "pcl::PCDReader(\(path))")
        return PCLPointCloudBlob(handle: handle!)
    }

    /// x y z pad records, the layout of `pcl::PointXYZ`; never empty so the buffer has an address.
    private static func paddedPoints(_ cloud: PointCloud) -> [Float] {
        var records = [Float](repeating: 0, count: max(4 * cloud.count, 4))
        for i in 0..<cloud.count {
            records[4 * i] = cloud.x[i]
            records[4 * i + 1] = cloud.y[i]
            records[4 * i + 2] = cloud.z[i]
        }
        return records
    }
}

/// A PCD file as PCL parsed it (`pcl::PCLPointCloud2`), owned until this object goes away.
public final class PCLPointCloudBlob {
    /// One field of the file, as PCL lists it (padding fields `_` included).
    public struct Field: Hashable, Sendable {
        public var name: String
        public var elementCount: Int
        /// PCL's datatype code: 1 INT8, 2 UINT8, 3 INT16, 4 UINT16, 5 INT32, 6 UINT32, 7 FLOAT32, 8 FLOAT64.
        public var datatype: UInt8
    }

    private let handle: OpaquePointer

    fileprivate init(handle: OpaquePointer) {
        self.handle = handle
    }

    deinit {
        fusion_native_pcd_cloud_free(handle)
    }

    public var width: Int { dimensions.width }
    public var height: Int { dimensions.height }
    public var pointCount: Int { width * height }

    public var fields: [Field] {
        (0..<fusion_native_pcd_cloud_field_count(handle)).map { index in
            var name: UnsafePointer<CChar>?
            var elementCount: UInt32 = 0
            var datatype: UInt8 = 0
            _ = fusion_native_pcd_cloud_field(handle, index, &name, &elementCount, &datatype)
            return Field(name: String(cString: name!), elementCount: Int(elementCount), datatype: datatype)
        }
    }

    /// Element `element` of field `name` for every point, converted to `Double`.
    public func values(of name: String, element: Int = 0) throws(NativeError) -> [Double] {
        var values = [Double](repeating: 0, count: max(pointCount, 1))
        let status = values.withUnsafeMutableBufferPointer { buffer in
            fusion_native_pcd_cloud_field_values(handle, name, UInt32(element), buffer.baseAddress!, buffer.count)
        }
        try checked(status, "PCLPointCloud2 field \(name)")
        return Array(values.prefix(pointCount))
    }

    private var dimensions: (width: Int, height: Int) {
        var width: UInt32 = 0, height: UInt32 = 0
        fusion_native_pcd_cloud_dimensions(handle, &width, &height)
        return (Int(width), Int(height))
    }
}
