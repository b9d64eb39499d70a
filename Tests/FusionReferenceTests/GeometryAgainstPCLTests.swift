import FusionGeometry
import FusionIO
import FusionReference
import FusionTestSupport
import Testing

/// FusionGeometry's hot loops against PCL on real sweeps: points inside labelled boxes against
/// `pcl::CropBox`, cloud transforms against `pcl::transformPointCloud`.
@Suite(SharedScenes.required)
struct GeometryAgainstPCLTests {
    @Test(arguments: ["000965", "000970", "000975"])
    func pointsInsideEverySUSTechBoxMatchCropBox(frame: String) throws {
        let sweep = try SUSTechPOINTS.readLidar(
            contentsOf: try SharedScenes.path("sustechpoints-example/lidar/\(frame).pcd")
        ).cloud
        let boxes = try SUSTechPOINTS.readLabels(
            contentsOf: try SharedScenes.path("sustechpoints-example/label/\(frame).json"))
        let pcl = try PCLPointCloud(sweep)
        for box in boxes {
            // PCL works in float: a point within a rounding of a face may land either way.
            let ours = sweep.countPoints(inside: box.cuboid)
            let theirs = try pcl.countPoints(inside: box.cuboid)
            #expect(abs(ours - theirs) <= 1, "box \(box.id): \(ours) vs pcl::CropBox \(theirs)")
            #expect(ours == box.cuboid.exactCount(in: sweep), "box \(box.id) disagrees with the double-precision test")
        }
    }

    @Test func transformsMatchPCL() throws {
        let sweep = try KITTIVelodyne.read(contentsOf: try SharedScenes.path("kitti-object/velodyne/000002.bin"))
        let motion = RigidTransform(
            rotation: UnitQuaternion(eulerXYZ: SIMD3(0.02, -0.01, 1.3)), translation: SIMD3(40, -12, 1.5))
        let pcl = try PCLPointCloud(sweep)
        try pcl.transform(by: motion)
        let ours = sweep.transformed(by: motion)
        let theirs = try pcl.points()
        var worst: Float = 0
        for index in 0..<sweep.count {
            let difference = ours[index] - theirs[index]
            worst = max(worst, abs(difference.x), abs(difference.y), abs(difference.z))
        }
        #expect(worst < 1e-4, "largest difference \(worst) m")
    }
}

extension Cuboid {
    /// The per-point test in double precision, one point at a time: the slow, obvious answer.
    func exactCount(in cloud: PointCloud) -> Int {
        (0..<cloud.count).filter { contains(SIMD3<Double>(cloud[$0])) }.count
    }
}
