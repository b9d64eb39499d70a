// Camera projection next to OpenCV's cv::projectPoints in the same run, plus the rig and memory-bound cases.
//
// Data: KITTI object frame 000001 (120,268 points) from ../shared/scenes with its real camera 2, given
// a 5-coefficient Brown-Conrady lens (k1 k2 p1 p2 k3) so that the distortion path is measured.
// Run from Benchmarks/: `swift package benchmark --target Projection` (release, baseline x86-64), or
// see ../README.md for the AVX2 build.
import Benchmark
import Foundation
import FusionCalibration
import FusionGeometry
import FusionIO
import FusionReference

enum Fixture {
    static let scenes =
        ProcessInfo.processInfo.environment["FUSIONLABEL_SCENES"]
        ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/scenes").path

    static let scan: PointCloud = {
        do { return try KITTIVelodyne.read(contentsOf: scenes + "/kitti-object/velodyne/000001.bin") } catch {
            fatalError("benchmark data unavailable (set FUSIONLABEL_SCENES to the shared scenes folder): \(error)")
        }
    }()

    static let camera: Camera = {
        do {
            let calibration = try KITTICalibration.read(contentsOf: scenes + "/kitti-object/calib/000001.txt")
            var camera = try Camera(kitti: calibration, imageSize: ImageSize(width: 1242, height: 375))
            camera.distortion = .brownConrady(.init(k1: -0.31, k2: 0.12, p1: 8e-4, p2: -4e-4, k3: -0.025))
            return camera
        } catch { fatalError("\(error)") }
    }()

    /// Six cameras around the car, 60° apart (the KITTI camera turned about the LiDAR's z axis).
    static let rig = CameraRig(
        (0..<6).map { index in
            var turned = camera
            turned.name = "camera\(index)"
            turned.cameraFromLidar =
                camera.cameraFromLidar * RigidTransform(rotation: UnitQuaternion(yaw: Double(index) * .pi / 3))
            return turned
        })

    /// The scan repeated to 8 million points (too big for any cache).
    static let bigScan: PointCloud = {
        let copies = (8_000_000 + scan.count - 1) / scan.count
        let x = Array(repeating: scan.x, count: copies).joined().prefix(8_000_000)
        let y = Array(repeating: scan.y, count: copies).joined().prefix(8_000_000)
        let z = Array(repeating: scan.z, count: copies).joined().prefix(8_000_000)
        return PointCloud(x: Array(x), y: Array(y), z: Array(z))
    }()

    nonisolated(unsafe) static var projected = ProjectedPoints()
    nonisolated(unsafe) static var rigProjected: [ProjectedPoints] = []
    nonisolated(unsafe) static var openCV = OpenCVReference.PreparedProjection(scan, camera: camera)
    nonisolated(unsafe) static var copyTarget = [Float](repeating: 0, count: 3 * 8_000_000)
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        warmupIterations: 3, maxDuration: .seconds(4), maxIterations: 5000)

    Benchmark(
        "Project 120k points, 5-coefficient lens: FusionCalibration (one thread)",
        configuration: .init(setup: { Fixture.camera.project(Fixture.scan, into: &Fixture.projected) })
    ) { benchmark in
        for _ in benchmark.scaledIterations {
            Fixture.camera.project(Fixture.scan, into: &Fixture.projected, concurrency: .singleThread)
            blackHole(Fixture.projected.u[0])
        }
    }
    Benchmark(
        "Project 120k points, 5-coefficient lens: OpenCV cv::projectPoints",
        configuration: .init(setup: { try! Fixture.openCV.run() })
    ) { benchmark in
        for _ in benchmark.scaledIterations {
            try! Fixture.openCV.run()
            blackHole(Fixture.openCV.pixels[0])
        }
    }
    Benchmark(
        "Project 120k points into a 6-camera rig: FusionCalibration (one thread)",
        configuration: .init(setup: { Fixture.rig.project(Fixture.scan, into: &Fixture.rigProjected) })
    ) { benchmark in
        for _ in benchmark.scaledIterations {
            Fixture.rig.project(Fixture.scan, into: &Fixture.rigProjected, concurrency: .singleThread)
            blackHole(Fixture.rigProjected[5].u[0])
        }
    }
    // 8M points: 12 bytes read and 13 written per point (x y z in; u v depth flags out), 200 MB per call.
    Benchmark(
        "Project 8M points, 5-coefficient lens: FusionCalibration (one thread)",
        configuration: .init(
            maxIterations: 50, setup: { Fixture.camera.project(Fixture.bigScan, into: &Fixture.projected) })
    ) { benchmark in
        for _ in benchmark.scaledIterations {
            Fixture.camera.project(Fixture.bigScan, into: &Fixture.projected, concurrency: .singleThread)
            blackHole(Fixture.projected.u[0])
        }
    }
    Benchmark(
        "Project 8M points, 5-coefficient lens: FusionCalibration (all cores)",
        configuration: .init(
            maxIterations: 50, setup: { Fixture.camera.project(Fixture.bigScan, into: &Fixture.projected) })
    ) { benchmark in
        for _ in benchmark.scaledIterations {
            Fixture.camera.project(Fixture.bigScan, into: &Fixture.projected)
            blackHole(Fixture.projected.u[0])
        }
    }
    // The machine's single-core streaming bandwidth for comparison: 96 MB read, 96 MB written.
    Benchmark(
        "Memory bandwidth reference: copy 8M x y z points (one thread)",
        configuration: .init(maxIterations: 50, setup: { blackHole(Fixture.bigScan.count) })
    ) { benchmark in
        for _ in benchmark.scaledIterations {
            Fixture.copyTarget.withUnsafeMutableBufferPointer { target in
                let n = 8_000_000
                Fixture.bigScan.x.withUnsafeBufferPointer {
                    target.baseAddress!.update(from: $0.baseAddress!, count: n)
                }
                Fixture.bigScan.y.withUnsafeBufferPointer {
                    (target.baseAddress! + n).update(from: $0.baseAddress!, count: n)
                }
                Fixture.bigScan.z.withUnsafeBufferPointer {
                    (target.baseAddress! + 2 * n).update(from: $0.baseAddress!, count: n)
                }
            }
            blackHole(Fixture.copyTarget[0])
        }
    }
}
