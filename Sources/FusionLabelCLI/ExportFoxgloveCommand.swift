import ArgumentParser
import Foundation
import FusionIO
import FusionLabel

struct ExportFoxgloveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-foxglove",
        abstract: "Write labels as an MCAP file of foxglove.SceneUpdate messages, to open next to the recording.",
        discussion: """
            One message per labelled frame on \(FoxgloveSceneUpdates.topic), logged at the frame's stamp; each
            cuboid is a cube in the scene's LiDAR frame (for a scene from import-bag, the sweeps' frame id)
            with its class, track and attributes as metadata. Open the recording and this file together in
            Foxglove.
            """)

    @Argument(help: "The scene folder the labels belong to (scene.json).")
    var scene: String

    @Option(help: "The labels: OpenLABEL, as annotate writes them (labels.openlabel.json).")
    var labels: String

    @Option(help: "The MCAP file to write (atomically).")
    var out: String

    func run() throws {
        do {
            let manifest = try Scene.open(scene).manifest
            let document = try OpenLABELDocument.read(contentsOf: labels)
            let bytes = try FoxgloveSceneUpdates.mcap(labels: document, scene: manifest)
            try FileAccess.writeAtomically(Data(bytes), to: out)
            print(
                "\(out): \(document.frames.count) frames of labels on \(FoxgloveSceneUpdates.topic), frame \(manifest.lidar.name)"
            )
        } catch {
            throw CommandFailure(error)
        }
    }
}
