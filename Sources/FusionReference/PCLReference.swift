internal import CFusionNative
internal import CFusionNativeIO
import FusionCalibration
import FusionGeometry

/// PCL's own implementations, called through the native shim: the oracles that FusionLabel's Swift
/// code is tested and benchmarked against. Not meant for production paths.
public enum PCLReference {
    /// Reads a PCD file with `pcl::PCDReader`.
    static func readPCD(at path: String) throws(NativeError) -> PCLPointCloudBlob {
        var handle: OpaquePointer?
        try checked(fusion_native_pcl_read_pcd(path, &handle), "pcl::PCDReader(\(path))")
        return PCLPointCloudBlob(handle: handle!)
    }

    /// `pcl::io::loadPCDFile<pcl::PointXYZI>` into a cloud that is dropped at once: the baseline for
    /// reader benchmarks. Returns the number of points PCL loaded.
    public static func loadPCDAsPointXYZI(at path: String) throws(NativeError) -> Int {
        var count = 0
        try checked(fusion_native_pcl_load_pcd_xyzi(path, &count), "pcl::io::loadPCDFile<PointXYZI>(\(path))")
        return count
    }
}

/// A PCD file as PCL parsed it (`pcl::PCLPointCloud2`), owned until this object goes away.
final class PCLPointCloudBlob {
    /// One field of the file, as PCL lists it (padding fields `_` included).
    public struct Field: Hashable, Sendable {
        public var name: String
        var elementCount: Int
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
        var width: UInt32 = 0
        var height: UInt32 = 0
        fusion_native_pcd_cloud_dimensions(handle, &width, &height)
        return (Int(width), Int(height))
    }
}
