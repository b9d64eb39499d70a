import Foundation
import FusionCalibration
import FusionGeometry
import FusionIO

/// Simulates a recording of the `urban` street: a LiDAR sweep and camera images per frame, ego
/// poses, and exact ground truth. The same configuration always gives the same bytes: every random
/// choice comes from `seed` (the world from one stream, each frame from its own), so frames can
/// be simulated in any order or in parallel.
///
/// Timing: frame `i` starts its sweep at `startTime + i · frameInterval` (the frame timestamp).
/// Each camera fires when the LiDAR's azimuth passes the camera's optical axis, as KITTI's
/// cameras are triggered; the radars scan when the LiDAR faces forward. Each ground-truth box is placed at its object's *capture time*: when the
/// spinning LiDAR faced the object's centre, in the LiDAR frame at that instant, which is where
/// the object's points were measured.
public struct SceneSimulator: Sendable {
    public static let generator = "FusionSim 1"

    public var seed: UInt64
    public var frameCount: Int
    /// Seconds between frames.
    var frameInterval = 0.1
    public var lidar: SpinningLidar = .hdl64e
    /// The LiDAR on the ego vehicle: 1.73 m above the ground, as on the KITTI car.
    public var egoFromLidar = RigidTransform(translation: SIMD3(0, 0, 1.73))
    /// Cameras relative to the LiDAR; `defaultCameras` unless changed.
    public var cameras: [SceneManifest.Camera] = SceneSimulator.defaultCameras
    /// Radars relative to the LiDAR, all of the `radar` model; `defaultRadars` unless changed.
    public var radars: [SceneManifest.Radar] = SceneSimulator.defaultRadars
    public var radar = SimulatedRadar()
    /// Whether `write(to:)` renders camera images; without them the cameras stay in the calibration.
    public var rendersImages = true
    /// Absolute time of scene time 0, seconds.
    public var startTime = 1_700_000_000.0

    public init(seed: UInt64 = 7, frameCount: Int = 20) {
        precondition(frameCount > 0, "a scene needs at least one frame")
        self.seed = seed
        self.frameCount = frameCount
    }

    /// Two cameras: `front` (1024×576, 85° wide, mild barrel distortion) 0.3 m ahead of and 0.25 m
    /// below the LiDAR, and `left` (1024×576, no distortion) turned 70° to the left.
    static let defaultCameras: [SceneManifest.Camera] = [
        camera(name: "front", yaw: 0, lidarPosition: SIMD3(0.3, 0, -0.25), distortion: [-0.08, 0.015, 0, 0, 0]),
        camera(name: "left", yaw: 70 * .pi / 180, lidarPosition: SIMD3(0.1, 0.5, -0.3), distortion: [])
    ]

    /// One radar on the front bumper: 3.6 m ahead of the ego origin, 0.5 m above the ground,
    /// looking forward (its axes are the LiDAR's).
    static let defaultRadars: [SceneManifest.Radar] = [
        SceneManifest.Radar(name: "front", radarFromLidar: RigidTransform(translation: -SIMD3(3.6, 0, 0.5 - 1.73)))
    ]

    private static func camera(name: String, yaw: Double, lidarPosition: SIMD3<Double>, distortion: [Double])
        -> SceneManifest.Camera
    {
        // Camera axes (x right, y down, z forward) in the LiDAR frame for a camera looking along `yaw`.
        let forward = SIMD3(cos(yaw), sin(yaw), 0)
        let right = SIMD3(sin(yaw), -cos(yaw), 0)
        let down = SIMD3<Double>(0, 0, -1)
        let cameraFromLidarRotation = UnitQuaternion(rotationMatrix: Matrix3x3(rows: right, down, forward))
        return SceneManifest.Camera(
            name: name, width: 1024, height: 576, fx: 560, fy: 560, cx: 512, cy: 288, distortion: distortion,
            cameraFromLidar: RigidTransform(
                rotation: cameraFromLidarRotation,
                translation: -cameraFromLidarRotation.act(on: lidarPosition)))
    }

    public var street: UrbanStreet { UrbanStreet(seed: seed, duration: Double(frameCount) * frameInterval) }

    /// `worldFromLidar` at scene time `time`.
    public func worldFromLidar(at time: Double, in world: SimulatedWorld) -> RigidTransform {
        street.ego.worldFromEgo(at: time, on: world.terrain) * egoFromLidar
    }

    /// Scene time at which the LiDAR's azimuth (starting at −π) passes `lidarDirection` during the sweep starting at `sweepStart`.
    func passTime(of lidarDirection: SIMD3<Double>, sweepStart: Double) -> Double {
        let azimuth = atan2(lidarDirection.y, lidarDirection.x)
        return sweepStart + lidar.sweepDuration * (azimuth + .pi) / (2 * .pi)
    }

    /// One object's ground truth in one frame.
    public struct GroundTruth: Sendable {
        public var trackID: Int
        public var objectClass: ObjectClass
        /// The box in the LiDAR frame at `captureTime`.
        public var box: Cuboid
        /// Absolute seconds.
        public var captureTime: Double
        /// Returns the simulator attributed to the object.
        public var points: Int
        /// The share of the object's LiDAR exposure hidden by nearer surfaces, 0...1.
        public var occlusion: Double
        /// Per camera that sees the box: the share of its projected outline outside the image, 0...1.
        public var truncation: [String: Double]
        /// Radar returns from the object, over all radars.
        var radarReturns: Int
    }

    /// One simulated frame.
    public struct Frame: Sendable {
        public var index: Int
        /// Absolute seconds (sweep start).
        public var timestamp: Double
        public var worldFromEgo: RigidTransform
        public var sweep: SpinningLidar.Sweep
        /// By camera name.
        public var images: [String: RGBImage]
        /// By radar name.
        var radarScans: [String: SimulatedRadar.Scan]
        /// Objects with at least one return, by track id.
        public var groundTruth: [GroundTruth]
    }

    /// The world this configuration simulates.
    public func world() -> SimulatedWorld { street.world() }

    /// Renderers for `cameras` (they cache per-pixel rays; make them once per scene).
    public func renderers() throws(CalibrationError) -> [CameraRenderer] {
        var renderers: [CameraRenderer] = []
        for camera in cameras { renderers.append(CameraRenderer(camera: try Camera(manifest: camera))) }
        return renderers
    }

    /// Simulates frame `index`; `renderers` may be empty to skip the images (truncation is still
    /// computed for every camera).
    /// - Throws: `CalibrationError` when a camera of `cameras` is unusable.
    public func frame(_ index: Int, in world: SimulatedWorld, renderers: [CameraRenderer]) throws(CalibrationError)
        -> Frame
    {
        var random = SeededRandomNumberGenerator(
            seed: (seed ^ 0xF4A3_E5EE_D000_0000) &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15)
        let sweepStart = Double(index) * frameInterval
        let sweep = lidar.sweep(
            of: world, startingAt: sweepStart, timeOrigin: startTime,
            worldFromSensor: { worldFromLidar(at: $0, in: world) }, random: &random)
        var images: [String: RGBImage] = [:]
        for renderer in renderers {
            let lidarFromCamera = renderer.camera.cameraFromLidar.inverse
            let time = passTime(of: lidarFromCamera.rotation.act(on: SIMD3(0, 0, 1)), sweepStart: sweepStart)
            images[renderer.camera.name] = renderer.render(
                world, at: time, worldFromCamera: worldFromLidar(at: time, in: world) * lidarFromCamera)
        }
        var radarRandom = SeededRandomNumberGenerator(
            seed: (seed ^ 0x4ADA_4ADA_0000_0000) &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15)
        let radarTime = passTime(of: SIMD3(1, 0, 0), sweepStart: sweepStart)
        let egoVelocity = street.ego.motion.velocity(at: radarTime)
        var radarScans: [String: SimulatedRadar.Scan] = [:]
        var radarCounts = [Int](repeating: 0, count: world.agents.count)
        for mounting in radars {
            let scan = radar.scan(
                of: world, at: radarTime,
                worldFromRadar: worldFromLidar(at: radarTime, in: world) * mounting.radarFromLidar.inverse,
                radarVelocity: SIMD3(egoVelocity.x, egoVelocity.y, 0), random: &radarRandom)
            for agent in scan.agentOfReturn where agent >= 0 { radarCounts[Int(agent)] += 1 }
            radarScans[mounting.name] = scan
        }
        var counts = [Int](repeating: 0, count: world.agents.count)
        for agent in sweep.agentOfPoint where agent >= 0 { counts[Int(agent)] += 1 }
        var projectors: [Camera] = []
        for camera in cameras { projectors.append(try Camera(manifest: camera)) }
        var groundTruth: [GroundTruth] = []
        let lidarFromWorldAtStart = worldFromLidar(at: sweepStart, in: world).inverse
        for agent in world.agents where counts[agent.trackID] > 0 {
            // The capture time: when the beam passed the centre (refined once for the motion).
            var captureTime = passTime(
                of: lidarFromWorldAtStart.apply(to: agent.box(at: sweepStart, on: world.terrain).center),
                sweepStart: sweepStart)
            let lidarFromWorld = worldFromLidar(at: captureTime, in: world).inverse
            captureTime = passTime(
                of: lidarFromWorld.apply(to: agent.box(at: captureTime, on: world.terrain).center),
                sweepStart: sweepStart)
            let box = agent.box(at: captureTime, on: world.terrain).transformed(
                by: worldFromLidar(at: captureTime, in: world).inverse)
            var truncation: [String: Double] = [:]
            for camera in projectors {
                let projected = camera.project(box)
                if projected.isInImage { truncation[camera.name] = projected.truncation }
            }
            groundTruth.append(
                GroundTruth(
                    trackID: agent.trackID, objectClass: agent.objectClass, box: box,
                    captureTime: startTime + captureTime,
                    points: counts[agent.trackID], occlusion: sweep.occlusion(of: agent.trackID) ?? 1,
                    truncation: truncation, radarReturns: radarCounts[agent.trackID]))
        }
        return Frame(
            index: index, timestamp: startTime + sweepStart,
            worldFromEgo: street.ego.worldFromEgo(at: sweepStart, on: world.terrain),
            sweep: sweep, images: images, radarScans: radarScans, groundTruth: groundTruth)
    }
}
