import Foundation
import FusionIO

/// The tables of a nuScenes-layout dataset that an import needs, indexed by token.
struct NuScenesTableSet {
    var scenes: [NuScenesTables.Scene]
    var samples: [String: NuScenesTables.Sample]
    /// Keyframe sample data by sample token.
    var keyframes: [String: [NuScenesTables.SampleData]]
    var egoPoses: [String: NuScenesTables.EgoPose]
    var calibratedSensors: [String: NuScenesTables.CalibratedSensor]
    var sensors: [String: NuScenesTables.Sensor]
    var annotations: [String: [NuScenesTables.SampleAnnotation]]
    var instances: [String: NuScenesTables.Instance]
    var categories: [String: NuScenesTables.Category]
    var attributes: [String: NuScenesTables.Attribute]
    var visibilities: [String: NuScenesTables.Visibility]

    /// Reads `dataroot/version/*.json`.
    /// - Throws: `ReadError` naming the table for a missing or malformed one.
    static func read(dataroot: String, version: String) throws(ReadError) -> NuScenesTableSet {
        let folder = "\(dataroot)/\(version)"
        func table<Record: Decodable>(_ name: String, _: Record.Type) throws(ReadError) -> [Record] {
            let path = "\(folder)/\(name).json"
            return try JSONFile.decode([Record].self, from: try FileAccess.contents(of: path), file: path)
        }
        func byToken<Record>(_ records: [Record], _ token: (Record) -> String) -> [String: Record] {
            Dictionary(records.map { (token($0), $0) }, uniquingKeysWith: { first, _ in first })
        }
        return NuScenesTableSet(
            scenes: try table("scene", NuScenesTables.Scene.self),
            samples: byToken(try table("sample", NuScenesTables.Sample.self), \.token),
            keyframes: Dictionary(
                grouping: try table("sample_data", NuScenesTables.SampleData.self).filter(\.is_key_frame),
                by: \.sample_token),
            egoPoses: byToken(try table("ego_pose", NuScenesTables.EgoPose.self), \.token),
            calibratedSensors: byToken(try table("calibrated_sensor", NuScenesTables.CalibratedSensor.self), \.token),
            sensors: byToken(try table("sensor", NuScenesTables.Sensor.self), \.token),
            annotations: Dictionary(
                grouping: try table("sample_annotation", NuScenesTables.SampleAnnotation.self), by: \.sample_token),
            instances: byToken(try table("instance", NuScenesTables.Instance.self), \.token),
            categories: byToken(try table("category", NuScenesTables.Category.self), \.token),
            attributes: byToken(try table("attribute", NuScenesTables.Attribute.self), \.token),
            visibilities: byToken(try table("visibility", NuScenesTables.Visibility.self), \.token))
    }
}
