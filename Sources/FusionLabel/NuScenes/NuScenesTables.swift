import Crypto
import Foundation
import FusionIO

/// The tables of the nuScenes layout (https://www.nuscenes.org/nuscenes#data-format), as the
/// export fills them. Field names are nuScenes'; rotations are quaternions `[w, x, y, z]`, sizes
/// `[width, length, height]`, translations metres, timestamps microseconds.
struct NuScenesTables {
    struct Log: Codable { var token, logfile, vehicle, date_captured, location: String }
    struct Map: Codable {
        var token: String
        var log_tokens: [String]
        var category, filename: String
    }
    struct Scene: Codable {
        var token, log_token: String
        var nbr_samples: Int
        var first_sample_token, last_sample_token, name, description: String
    }
    struct Sample: Codable {
        var token: String
        var timestamp: Int64
        var prev, next, scene_token: String
    }
    struct SampleData: Codable {
        var token, sample_token, ego_pose_token, calibrated_sensor_token: String
        var timestamp: Int64
        var fileformat: String
        var is_key_frame: Bool
        var height, width: Int
        var filename, prev, next: String
    }
    struct EgoPose: Codable {
        var token: String
        var timestamp: Int64
        var rotation, translation: [Double]
    }
    struct CalibratedSensor: Codable {
        var token, sensor_token: String
        var translation, rotation: [Double]
        var camera_intrinsic: [[Double]]
    }
    struct Sensor: Codable { var token, channel, modality: String }
    struct SampleAnnotation: Codable {
        var token, sample_token, instance_token, visibility_token: String
        var attribute_tokens: [String]
        var translation, size, rotation: [Double]
        var prev, next: String
        var num_lidar_pts, num_radar_pts: Int
    }
    struct Instance: Codable {
        var token, category_token: String
        var nbr_annotations: Int
        var first_annotation_token, last_annotation_token: String
    }
    struct Category: Codable { var token, name, description: String }
    struct Attribute: Codable { var token, name, description: String }
    struct Visibility: Codable { var token, level, description: String }

    var log: [Log] = []
    var map: [Map] = []
    var scene: [Scene] = []
    var sample: [Sample] = []
    var sampleData: [SampleData] = []
    var egoPose: [EgoPose] = []
    var calibratedSensor: [CalibratedSensor] = []
    var sensor: [Sensor] = []
    var sampleAnnotation: [SampleAnnotation] = []
    var instance: [Instance] = []
    var category: [Category] = []
    var attribute: [Attribute] = NuScenesTables.attributes
    var visibility: [Visibility] = NuScenesTables.visibilities

    /// A token (32 hex digits, as nuScenes'), the same for the same table and key on every run.
    static func token(_ table: String, _ key: String) -> String {
        SHA256.hash(data: Data("fusionlabel/\(table)/\(key)".utf8)).prefix(16).map { String(format: "%02x", $0) }
            .joined()
    }

    /// nuScenes' eight attributes.
    static let attributes: [Attribute] = [
        ("vehicle.moving", "Vehicle is moving."), ("vehicle.stopped", "Vehicle, with a driver, is not moving."),
        ("vehicle.parked", "Vehicle is stationary without a driver."),
        ("cycle.with_rider", "There is a rider on the bicycle or motorcycle."),
        ("cycle.without_rider", "There is no rider on the bicycle or motorcycle."),
        ("pedestrian.sitting_lying_down", "The human is sitting or lying down."),
        ("pedestrian.standing", "The human is standing."), ("pedestrian.moving", "The human is moving.")
    ].map { Attribute(token: token("attribute", $0.0), name: $0.0, description: $0.1) }

    /// nuScenes' four visibility levels (tokens "1"–"4", as in nuScenes), and "0" when no camera saw the box.
    static let visibilities: [Visibility] = [
        Visibility(
            token: "0", level: "unknown",
            description: "No camera sees the box: its visibility is not known (FusionLabel)."),
        Visibility(token: "1", level: "v0-40", description: "visibility of whole object is between 0 and 40%"),
        Visibility(token: "2", level: "v40-60", description: "visibility of whole object is between 40 and 60%"),
        Visibility(token: "3", level: "v60-80", description: "visibility of whole object is between 60 and 80%"),
        Visibility(token: "4", level: "v80-100", description: "visibility of whole object is between 80 and 100%")
    ]

    /// Every table as its file name and JSON (keys sorted, so the same tables give the same bytes).
    func files() throws -> [(name: String, data: Data)] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return [
            ("log", try encoder.encode(log)), ("map", try encoder.encode(map)), ("scene", try encoder.encode(scene)),
            ("sample", try encoder.encode(sample)), ("sample_data", try encoder.encode(sampleData)),
            ("ego_pose", try encoder.encode(egoPose)),
            ("calibrated_sensor", try encoder.encode(calibratedSensor)), ("sensor", try encoder.encode(sensor)),
            ("sample_annotation", try encoder.encode(sampleAnnotation)), ("instance", try encoder.encode(instance)),
            ("category", try encoder.encode(category)), ("attribute", try encoder.encode(attribute)),
            ("visibility", try encoder.encode(visibility))
        ].map { ($0.0 + ".json", $0.1) }
    }
}
