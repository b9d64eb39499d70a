import ArgumentParser
import Foundation
import FusionIO
import FusionLabel

struct ExportNuScenesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-nuscenes",
        abstract:
            "Write annotated scenes in the nuScenes table layout (what nuscenes-devkit and training pipelines read).",
        discussion: """
            Give each scene with its labels (OpenLABEL, as annotate writes them): --scene A --labels A.json
            --scene B --labels B.json. Writes DATAROOT/<version>/*.json (log, scene, sample, sample_data,
            ego_pose, calibrated_sensor, sensor, sample_annotation, instance, category, attribute,
            visibility, map), samples/LIDAR_TOP/*.pcd.bin and samples/CAM_<NAME>/*. One instance per track,
            annotations in the global frame, tokens stable across runs. The folder appears only once complete.
            """)

    @Option(name: .customLong("scene"), help: "A scene folder (repeat; pairs with --labels in order).")
    var scenes: [String]

    @Option(name: .customLong("labels"), help: "The scene's labels: OpenLABEL (repeat, one per --scene).")
    var labels: [String]

    @Option(help: "The version folder: the devkit's evaluation wants v1.0-trainval, v1.0-mini or v1.0-test.")
    var version = "v1.0-fusionlabel"

    @Option(help: "The log's location (nuScenes: boston-seaport, singapore-onenorth, ...).")
    var location = "unknown"

    @Option(help: "The nuScenes dataroot to create (must not exist).")
    var out: String

    @Flag(help: "Print the summary as JSON.")
    var json = false

    func validate() throws {
        guard !scenes.isEmpty, scenes.count == labels.count else {
            throw ValidationError("give one --labels per --scene")
        }
    }

    func run() throws {
        let summary: NuScenesExport.Summary
        do {
            var pairs: [(scene: Scene, labels: OpenLABELDocument)] = []
            for (scene, labels) in zip(scenes, self.labels) {
                pairs.append((try Scene.open(scene), try OpenLABELDocument.read(contentsOf: labels)))
            }
            summary = try NuScenesExport.export(pairs, options: .init(version: version, location: location), to: out)
        } catch {
            throw CommandFailure(error)
        }
        if json {
            try printJSON(summary)
            return
        }
        let categories = summary.categories.keys.sorted().map { "\(summary.categories[$0]!) \($0)" }.joined(
            separator: ", ")
        let leftOut = summary.leftOut.keys.sorted().map { "\(summary.leftOut[$0]!) \($0)" }.joined(separator: ", ")
        print(
            "\(out)/\(version): \(summary.scenes) scenes, \(summary.samples) samples, \(summary.annotations) annotations in \(summary.instances) instances (\(categories))"
                + (leftOut.isEmpty ? "" : "; left out, no nuScenes category: \(leftOut)"))
    }
}
