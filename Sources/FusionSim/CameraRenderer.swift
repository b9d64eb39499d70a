import Foundation
import FusionCalibration
import FusionGeometry

/// Renders what a calibrated camera sees of a simulated world by casting one ray per pixel
/// through the camera's lens model (so distortion is exact), then shading the surface hit:
/// Lambertian under a fixed sun with ambient light, haze with distance, and a sky gradient.
/// Geometry is the same the LiDAR sees, so projected points and boxes line up with the picture.
public struct CameraRenderer: Sendable {
    public let camera: Camera
    /// Per pixel (row-major), the unit viewing direction in the camera frame.
    private let rays: [SIMD3<Float>]
    /// Direction towards the sun, world frame.
    private let sun = SIMD3<Double>(0.35, 0.25, 0.9) / SIMD3<Double>(0.35, 0.25, 0.9).length

    public init(camera: Camera) {
        self.camera = camera
        var rays: [SIMD3<Float>] = []
        rays.reserveCapacity(camera.imageSize.pixelCount)
        for row in 0..<camera.imageSize.height {
            for column in 0..<camera.imageSize.width {
                let ray = camera.ray(throughPixel: SIMD2(Double(column) + 0.5, Double(row) + 0.5))
                rays.append(SIMD3<Float>(ray / ray.length))
            }
        }
        self.rays = rays
    }

    /// The image at scene time `time`, with the camera at `worldFromCamera`.
    /// - Complexity: one ray cast per pixel; rows run in parallel, the result does not depend on it.
    public func render(_ world: SimulatedWorld, at time: Double, worldFromCamera: RigidTransform) -> RGBImage {
        let size = camera.imageSize
        let origin = worldFromCamera.translation
        let rotation = worldFromCamera.rotation.rotationMatrix
        let index = AzimuthIndex(world: world, origin: SIMD2(origin.x, origin.y), originTravel: 0, times: time...time)
        let agentsByBin = index.posedAgents(world.agents.map { $0.pose(at: time, on: world.terrain) })
        var pixels = [UInt8](repeating: 0, count: size.pixelCount * 3)
        let rowsPerTask = 16
        pixels.withUnsafeMutableBufferPointer { output in
            nonisolated(unsafe) let output = output
            DispatchQueue.concurrentPerform(iterations: (size.height + rowsPerTask - 1) / rowsPerTask) { task in
                var exposed: [Int] = []
                for row in (task * rowsPerTask)..<min(size.height, (task + 1) * rowsPerTask) {
                    for column in 0..<size.width {
                        let pixel = row * size.width + column
                        let direction = rotation * SIMD3<Double>(rays[pixel])
                        let bin = AzimuthIndex.bin(of: SIMD2(direction.x, direction.y))
                        exposed.removeAll(keepingCapacity: true)
                        let hit = world.cast(
                            Ray(origin: origin, direction: direction), limit: 400,
                            fixtureCandidates: index.fixtures[bin],
                            agentCandidates: agentsByBin[bin], exposedAgents: &exposed)
                        let colour = shade(hit, direction: direction)
                        output[3 * pixel] = colour.x
                        output[3 * pixel + 1] = colour.y
                        output[3 * pixel + 2] = colour.z
                    }
                }
            }
        }
        return RGBImage(size: size, pixels: pixels)
    }

    private func shade(_ hit: SimulatedWorld.Hit?, direction: SIMD3<Double>) -> SIMD3<UInt8> {
        let horizon = SIMD3<Double>(0.78, 0.84, 0.9)
        let zenith = SIMD3<Double>(0.32, 0.5, 0.82)
        let skyBlend = min(1, max(0, direction.z * 2.5))
        let sky = horizon + (zenith - horizon) * skyBlend
        var linear = sky
        if let hit {
            let lighting = 0.45 + 0.55 * max(0, hit.normal.dot(sun))
            let haze = 1 - exp(-hit.distance / 300)
            linear = hit.material.albedo * lighting * (1 - haze) + horizon * haze
        }
        // Gamma 2.2 for display.
        return SIMD3(encode(linear.x), encode(linear.y), encode(linear.z))
    }

    private func encode(_ value: Double) -> UInt8 {
        UInt8((pow(min(1, max(0, value)), 1 / 2.2) * 255).rounded())
    }
}
