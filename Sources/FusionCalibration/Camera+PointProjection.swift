import Dispatch
import FusionGeometry

/// How many threads a projection may use.
public enum ProjectionConcurrency: Sendable {
    /// One thread for small clouds; chunks across all cores for clouds of `parallelThreshold` points or more.
    case automatic
    /// The calling thread only (for callers that already run frames in parallel).
    case singleThread

    /// Clouds at least this big are split across cores under `.automatic`.
    static let parallelThreshold = 1 << 18
}

extension Camera {
    /// Projects every point of `cloud` (LiDAR frame) into this camera.
    /// - Complexity: O(n), no allocation per point; see `project(_:into:concurrency:)` to reuse the result.
    public func project(_ cloud: PointCloud, concurrency: ProjectionConcurrency = .automatic) -> ProjectedPoints {
        var result = ProjectedPoints()
        project(cloud, into: &result, concurrency: concurrency)
        return result
    }

    /// Projects every point of `cloud` (LiDAR frame) into `result`, reusing its storage when it already
    /// holds as many points (no allocation at all on a repeated call).
    ///
    /// The camera's transform and lens are rounded to `Float` once; one branch-free pass over the
    /// cloud's x, y, z columns writes pixel, depth and flags (OpenCV's formulas, agreeing with
    /// `cv::projectPoints` to about 1e-4 px). NaN and infinite points are flagged `.nonFinite`.
    public func project(
        _ cloud: PointCloud, into result: inout ProjectedPoints,
        concurrency: ProjectionConcurrency = .automatic
    ) {
        let kernel = ProjectionKernel(camera: self)
        let count = cloud.count
        result.prepare(count: count)
        guard count > 0 else { return }
        cloud.x.withUnsafeBufferPointer { x in
            cloud.y.withUnsafeBufferPointer { y in
                cloud.z.withUnsafeBufferPointer { z in
                    result.u.withUnsafeMutableBufferPointer { u in
                        result.v.withUnsafeMutableBufferPointer { v in
                            result.depth.withUnsafeMutableBufferPointer { depth in
                                result.flags.withUnsafeMutableBufferPointer { flags in
                                    let columns = ProjectionColumns(
                                        x: x.baseAddress!, y: y.baseAddress!, z: z.baseAddress!,
                                        u: u.baseAddress!, v: v.baseAddress!,
                                        depth: depth.baseAddress!, flags: flags.baseAddress!)
                                    columns.run(kernel, count: count, concurrency: concurrency)
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

extension CameraRig {
    /// Projects `cloud` (LiDAR frame) into every camera, in rig order.
    public func project(_ cloud: PointCloud, concurrency: ProjectionConcurrency = .automatic) -> [ProjectedPoints] {
        var results = [ProjectedPoints](repeating: ProjectedPoints(), count: cameras.count)
        project(cloud, into: &results, concurrency: concurrency)
        return results
    }

    /// Projects `cloud` into every camera, reusing `results` (resized to the rig's camera count).
    public func project(
        _ cloud: PointCloud, into results: inout [ProjectedPoints],
        concurrency: ProjectionConcurrency = .automatic
    ) {
        if results.count != cameras.count {
            results = [ProjectedPoints](repeating: ProjectedPoints(), count: cameras.count)
        }
        for index in cameras.indices {
            cameras[index].project(cloud, into: &results[index], concurrency: concurrency)
        }
    }
}

/// The input and output columns of one projection, shared by the chunks of a parallel run. Chunks
/// write disjoint index ranges, which is what makes sharing the pointers safe.
private struct ProjectionColumns: @unchecked Sendable {
    let x, y, z: UnsafePointer<Float>
    let u, v, depth: UnsafeMutablePointer<Float>
    let flags: UnsafeMutablePointer<UInt8>

    func run(_ kernel: ProjectionKernel, count: Int, concurrency: ProjectionConcurrency) {
        let chunkSize = 1 << 16
        guard concurrency == .automatic, count >= ProjectionConcurrency.parallelThreshold else {
            kernel.run(x: x, y: y, z: z, range: 0..<count, u: u, v: v, depth: depth, flags: flags)
            return
        }
        let chunks = (count + chunkSize - 1) / chunkSize
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let range = chunk * chunkSize..<min(count, (chunk + 1) * chunkSize)
            kernel.run(x: x, y: y, z: z, range: range, u: u, v: v, depth: depth, flags: flags)
        }
    }
}
