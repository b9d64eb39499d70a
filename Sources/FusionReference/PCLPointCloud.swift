internal import CFusionNative
internal import CFusionNativePCL
import FusionCalibration
import FusionGeometry

/// A cloud copied once into PCL (`pcl::PointCloud<pcl::PointXYZ>`, coordinates only), on which
/// PCL's own algorithms run: the oracles for FusionLabel's Swift implementations. The PCL cloud
/// lives until this object goes away.
public final class PCLPointCloud {
    private let handle: OpaquePointer
    /// The number of points.
    public let count: Int

    /// Copies the coordinates of `cloud` (metres) into PCL's 16-byte x y z pad layout.
    public init(_ cloud: PointCloud) throws(NativeError) {
        var records = [Float](repeating: 0, count: max(4 * cloud.count, 4))
        for index in 0..<cloud.count {
            records[4 * index] = cloud.x[index]
            records[4 * index + 1] = cloud.y[index]
            records[4 * index + 2] = cloud.z[index]
        }
        var handle: OpaquePointer?
        try checked(fusion_native_pcl_cloud_create(records, cloud.count, &handle), "pcl::PointCloud<PointXYZ>")
        self.handle = handle!
        count = cloud.count
    }

    deinit {
        fusion_native_pcl_cloud_free(handle)
    }

    /// `pcl::VoxelGrid<PointXYZ>`: the centroid of the points in each occupied voxel (metres).
    func voxelGridCentroids(leafSize: SIMD3<Float>) throws(NativeError) -> PointCloud {
        var output = [Float](repeating: 0, count: max(4 * count, 4))
        var outputCount = 0
        let status = output.withUnsafeMutableBufferPointer { result in
            fusion_native_pcl_voxel_grid(
                handle, leafSize.x, leafSize.y, leafSize.z, result.baseAddress!, count, &outputCount)
        }
        try checked(status, "pcl::VoxelGrid")
        return Self.cloud(fromRecords: output, count: outputCount)
    }

    /// `pcl::EuclideanClusterExtraction<PointXYZ>` with a kd-tree: per point, the index of its
    /// cluster in PCL's order (largest first), or -1 when it is in no cluster of accepted size.
    /// - Parameters:
    ///   - tolerance: the largest gap, in metres, between neighbouring points of one cluster.
    ///   - sizes: the accepted cluster sizes, in points.
    public func euclideanClusterLabels(tolerance: Double, sizes: ClosedRange<Int>) throws(NativeError) -> (
        labels: [Int32], clusterCount: Int
    ) {
        precondition(sizes.lowerBound >= 0, "cluster sizes are counts of points")
        var labels = [Int32](repeating: -1, count: max(count, 1))
        var clusterCount = 0
        let status = labels.withUnsafeMutableBufferPointer { result in
            fusion_native_pcl_euclidean_clusters(
                handle, tolerance, sizes.lowerBound, sizes.upperBound, result.baseAddress!, &clusterCount)
        }
        try checked(status, "pcl::EuclideanClusterExtraction")
        return (Array(labels.prefix(count)), clusterCount)
    }

    /// An oriented bounding box from `pcl::MomentOfInertiaEstimation::getOBB`.
    public struct OrientedBox: Sendable {
        /// Metres.
        public var center: SIMD3<Double>
        /// Extents along the box's axes (major, middle, minor), metres.
        public var extents: SIMD3<Double>
        /// Columns: the box's axes in the cloud's frame (not always a proper rotation).
        public var axes: Matrix3x3
    }

    /// The pre-labelling pipeline as PCL does it: `SACSegmentation` (plane, RANSAC) removes the
    /// ground, `EuclideanClusterExtraction` clusters the rest, `MomentOfInertiaEstimation` boxes
    /// each cluster (largest cluster first).
    /// - Parameters:
    ///   - planeThreshold: metres from the plane still counted as ground.
    ///   - tolerance: the largest gap, in metres, inside one cluster.
    public func prelabel(
        planeThreshold: Double, planeIterations: Int, tolerance: Double,
        sizes: ClosedRange<Int>
    ) throws(NativeError) -> (groundCount: Int, boxes: [OrientedBox]) {
        precondition(sizes.lowerBound >= 0, "cluster sizes are counts of points")
        // At most one cluster per `sizes.lowerBound` points.
        let capacity = max(1, count / max(1, sizes.lowerBound))
        var records = [Float](repeating: 0, count: 15 * capacity)
        var groundCount = 0
        var boxCount = 0
        let status = records.withUnsafeMutableBufferPointer { result in
            fusion_native_pcl_prelabel(
                handle, planeThreshold, Int32(planeIterations), tolerance, sizes.lowerBound, sizes.upperBound,
                result.baseAddress!, capacity, &groundCount, &boxCount)
        }
        try checked(
            status, "PCL pre-labelling (SACSegmentation, EuclideanClusterExtraction, MomentOfInertiaEstimation)")
        let boxes = (0..<boxCount).map { box in
            let record = records[(15 * box)..<(15 * box + 15)].map(Double.init)
            return OrientedBox(
                center: SIMD3(record[0], record[1], record[2]), extents: SIMD3(record[3], record[4], record[5]),
                axes: Matrix3x3(rowMajor: Array(record[6..<15])))
        }
        return (groundCount, boxes)
    }

    /// `pcl::CropBox<PointXYZ>`: the number of points inside or on the surface of `box`.
    public func countPoints(inside box: Cuboid) throws(NativeError) -> Int {
        let boxFromCloud = Self.floats(box.parentFromBox.inverse.matrix)
        let half = box.size.halfExtents
        var inside = 0
        try checked(
            fusion_native_pcl_crop_box_count(
                handle, boxFromCloud, [Float(half.x), Float(half.y), Float(half.z)], &inside),
            "pcl::CropBox")
        return inside
    }

    /// `pcl::transformPointCloud` in place: moves the PCL cloud by `transform` (`targetFromSource`).
    public func transform(by transform: RigidTransform) throws(NativeError) {
        try checked(
            fusion_native_pcl_transform_in_place(handle, Self.floats(transform.matrix)), "pcl::transformPointCloud")
    }

    /// The PCL cloud's current coordinates (metres), without attributes.
    public func points() throws(NativeError) -> PointCloud {
        var output = [Float](repeating: 0, count: max(4 * count, 4))
        let status = output.withUnsafeMutableBufferPointer { result in
            fusion_native_pcl_cloud_points(handle, result.baseAddress!, count)
        }
        try checked(status, "pcl::PointCloud copy")
        return Self.cloud(fromRecords: output, count: count)
    }

    private static func floats(_ matrix: Matrix3x4) -> [Float] {
        matrix.rowMajor.map(Float.init)
    }

    private static func cloud(fromRecords records: [Float], count: Int) -> PointCloud {
        PointCloud(
            x: (0..<count).map { records[4 * $0] }, y: (0..<count).map { records[4 * $0 + 1] },
            z: (0..<count).map { records[4 * $0 + 2] })
    }
}
