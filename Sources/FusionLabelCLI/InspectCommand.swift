import ArgumentParser
import Foundation
import FusionLabel

struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Summarise a point cloud, label, calibration or OpenLABEL file, or a scene folder.",
        discussion: """
            Reads .pcd (ascii, binary, binary_compressed), KITTI .bin scans and .txt calibration,
            object and tracking labels, OpenLABEL, SUSTech POINTS labels and calibration, and scene
            folders holding a scene.json manifest. Prints points, fields, bounds, non-finite points,
            labels per class and cameras.
            """)

    @Argument(help: "A file, or a scene folder with scene.json.")
    var path: String

    @Flag(help: "Print the report as JSON.")
    var json = false

    @Flag(help: "For a recording: decode every message and read its point clouds, images, camera infos and transforms.")
    var decode = false

    func run() throws {
        let report: InspectionReport
        do {
            report = try Inspection.inspect(path, decodingMessages: decode)
        } catch {
            throw CommandFailure(error)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print(report.text)
        }
    }
}
