import ArgumentParser
import Foundation
import FusionSim

struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Generate a synthetic scene with exact ground truth.",
        discussion: """
            Writes a scene folder: LiDAR sweeps (PCD), camera images (PNG), front radar scans (PCD),
            calibration and ego poses (scene.json), and ground truth (OpenLABEL, with track ids, point
            counts, occlusion, truncation and origin). The same options always produce the same bytes. The bundled sample is:
            fusionlabel simulate --preset urban --frames 10 --azimuth-steps 1042 --seed 7 --out SampleScenes/urban
            """)

    enum Preset: String, ExpressibleByArgument, CaseIterable {
        /// A sloped two-lane street with parked and moving vehicles, pedestrians, cyclists, lamps,
        /// trees and buildings; the ego drives along it at 8 m/s.
        case urban
    }

    enum Lidar: String, ExpressibleByArgument, CaseIterable {
        case hdl64e, hdl32e, pandar40

        var model: SpinningLidar {
            switch self {
            case .hdl64e: .hdl64e
            case .hdl32e: .hdl32e
            case .pandar40: .pandar40
            }
        }
    }

    @Option(help: "What to simulate: \(Preset.allCases.map(\.rawValue).joined(separator: ", ")).")
    var preset: Preset = .urban

    @Option(help: "LiDAR model: \(Lidar.allCases.map(\.rawValue).joined(separator: ", ")).")
    var lidar: Lidar = .hdl64e

    @Option(help: "Azimuth steps per revolution (default: the LiDAR model's own, 2083 for hdl64e).")
    var azimuthSteps: Int?

    @Flag(help: "Skip the camera images (the cameras stay in the calibration); much faster.")
    var withoutImages = false

    @Option(help: "Seed of every random choice.")
    var seed: UInt64 = 7

    @Option(help: "Number of frames (10 Hz).")
    var frames: Int = 20

    @Option(help: "Output scene folder (created if needed).")
    var out: String

    func validate() throws {
        guard (1...10_000).contains(frames) else { throw ValidationError("--frames must be between 1 and 10000") }
        if let azimuthSteps, !(36...36_000).contains(azimuthSteps) {
            throw ValidationError("--azimuth-steps must be between 36 and 36000")
        }
    }

    func run() throws {
        var simulator = SceneSimulator(seed: seed, frameCount: frames)
        simulator.lidar = lidar.model
        if let azimuthSteps { simulator.lidar.azimuthSteps = azimuthSteps }
        simulator.rendersImages = !withoutImages
        let progress = ProgressLine(total: frames, label: "simulate")
        do {
            try simulator.write(to: out, progress: { progress.update($0) })
        } catch {
            throw CommandFailure(error)
        }
        print("wrote \(frames) frames of the \(preset.rawValue) scene (seed \(seed), \(lidar.rawValue)) to \(out)")
    }
}
