import ArgumentParser
import Foundation
import FusionLabel

struct ImportNuScenesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-nuscenes",
        abstract: "Turn scenes of a dataset in the nuScenes table layout into scene folders.",
        discussion: """
            One frame per sample: the LIDAR_TOP keyframe as binary PCD (x y z intensity ring), each camera's
            keyframe image, the ego pose of the sweep, cameras from calibrated_sensor (K; cameraFromLidar
            through the ego frame), and the annotations as OpenLABEL in each frame's LiDAR frame
            (labels/nuscenes.openlabel.json, one object per instance). With --scene, OUT is that scene's
            folder; without, OUT holds one folder per scene.
            """)

    @Argument(help: "The dataroot (it holds the version folder and samples/).")
    var dataroot: String

    @Option(help: "The version folder, such as v1.0-mini.")
    var version: String

    @Option(help: "Only this scene (by name, such as scene-0061).")
    var scene: String?

    @Option(help: "The folder to create.")
    var out: String

    @Flag(help: "Print the summary as JSON.")
    var json = false

    func run() throws {
        let summaries: [NuScenesImport.Summary]
        do {
            summaries = try NuScenesImport.run(dataroot: dataroot, version: version, scene: scene, to: out)
        } catch {
            throw CommandFailure(error)
        }
        if json {
            try printJSON(summaries)
            return
        }
        for summary in summaries {
            print(
                String(
                    format: "%@: %d frames, cameras %@, %d annotations (images up to %.0f ms from their sweep)",
                    summary.scene, summary.frames,
                    summary.cameras.joined(separator: " "), summary.annotations, summary.largestCameraOffsetMilliseconds
                ))
        }
    }
}
