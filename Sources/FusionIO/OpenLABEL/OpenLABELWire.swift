/// The JSON layout of an OpenLABEL 1.0 file, key for key (snake_case as in the schema). Only
/// `OpenLABELDocument+Coding` uses these; everyone else uses `OpenLABELDocument`.
enum OpenLABELWire {
    struct Root: Codable {
        var openlabel: Body
    }

    struct Body: Codable {
        var metadata: Metadata
        var coordinate_systems: [String: CoordinateSystem]?
        var streams: [String: Stream]?
        var objects: [String: Object]?
        var frames: [String: Frame]?
        var frame_intervals: [FrameInterval]?
    }

    struct Metadata: Codable {
        var schema_version: String
        var name: String?
        var annotator: String?
        var comment: String?
        var file_version: String?
    }

    struct TransformData: Codable {
        var matrix4x4: [Double]?
        var quaternion: [Double]?
        var translation: [Double]?
        var euler_angles: [Double]?
        var sequence: String?
    }

    struct CoordinateSystem: Codable {
        var type: String
        var parent: String
        var children: [String]?
        var pose_wrt_parent: TransformData?
    }

    struct Stream: Codable {
        var type: String?
        var uri: String?
        var description: String?
        var stream_properties: StreamProperties?
    }

    struct StreamProperties: Codable {
        var intrinsics_pinhole: Pinhole?
    }

    struct Pinhole: Codable {
        var camera_matrix: [Double]
        var distortion_coeffs: [Double]?
        var width_px: Int
        var height_px: Int
    }

    struct FrameInterval: Codable {
        var frame_start: Int
        var frame_end: Int
    }

    struct Object: Codable {
        var name: String
        var type: String
        var frame_intervals: [FrameInterval]?
    }

    struct Frame: Codable {
        var objects: [String: FrameObject]?
        var frame_properties: FrameProperties?
    }

    struct FrameObject: Codable {
        var object_data: ObjectData?
    }

    struct ObjectData: Codable {
        var cuboid: [Cuboid]?
    }

    struct Cuboid: Codable {
        var name: String
        var val: [Double]?
        var coordinate_system: String?
        var attributes: Attributes?
    }

    struct Attributes: Codable {
        var num: [Named<Double>]?
        var text: [Named<String>]?
        var boolean: [Named<Bool>]?
    }

    struct Named<Value: Codable>: Codable {
        var name: String?
        var val: Value
    }

    struct FrameProperties: Codable {
        var timestamp: Timestamp?
        var transforms: [String: Transform]?
    }

    struct Transform: Codable {
        var src: String
        var dst: String
        var transform_src_to_dst: TransformData
    }

    /// OpenLABEL allows a number or a string.
    enum Timestamp: Codable {
        case number(Double)
        case text(String)

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let number = try? container.decode(Double.self) {
                self = .number(number)
            } else {
                self = .text(try container.decode(String.self))
            }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .number(let number): try container.encode(number)
            case .text(let text): try container.encode(text)
            }
        }
    }
}
