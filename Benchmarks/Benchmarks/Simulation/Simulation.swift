// Scene simulation: one LiDAR sweep and one camera image of the urban street (seed 7).
//
// Nothing in PCL or OpenCV simulates a sensor, so there is no native line beside these; the bar is
// absolute (one 64-beam sweep of ~120k points in at most 50 ms on one core).
// Run from Benchmarks/: `swift package benchmark --target Simulation` (release, baseline x86-64).
import Benchmark
import FusionCalibration
import FusionGeometry
import FusionSim

enum Fixture {
    static let simulator = SceneSimulator(seed: 7, frameCount: 20)
    static let world = simulator.world()
    static let renderer = try! simulator.renderers()[0]
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        warmupIterations: 2, maxDuration: .seconds(5), maxIterations: 200)

    Benchmark(
        "Simulate one HDL-64E sweep (2083 x 64 rays, ~130k points): FusionSim (one thread)",
        configuration: .init(setup: { blackHole(Fixture.world.agents.count) })
    ) { benchmark in
        for _ in benchmark.scaledIterations {
            var random = SeededRandomNumberGenerator(seed: 1)
            let sweep = Fixture.simulator.lidar.sweep(
                of: Fixture.world, startingAt: 1.0, timeOrigin: 0,
                worldFromSensor: { Fixture.simulator.worldFromLidar(at: $0, in: Fixture.world) },
                random: &random)
            blackHole(sweep.cloud.count)
        }
    }
    Benchmark(
        "Render one 1024x576 camera image: FusionSim (all cores)",
        configuration: .init(setup: { blackHole(Fixture.renderer.camera.name) })
    ) { benchmark in
        let worldFromCamera =
            Fixture.simulator.worldFromLidar(at: 1.0, in: Fixture.world)
            * Fixture.renderer.camera.cameraFromLidar.inverse
        for _ in benchmark.scaledIterations {
            blackHole(Fixture.renderer.render(Fixture.world, at: 1.0, worldFromCamera: worldFromCamera).pixels[0])
        }
    }
}
