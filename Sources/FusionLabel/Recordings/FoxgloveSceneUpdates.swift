import Foundation
import FusionGeometry
import FusionIO
import FusionRecording

/// Labels as an MCAP file of `foxglove.SceneUpdate` messages (JSON), to open next to the recording in
/// Foxglove: one message per labelled frame, logged at the frame's stamp, each cuboid a cube in the
/// LiDAR's frame (`frame_id` = the scene's LiDAR name, which `import-bag` takes from the sweeps'
/// header) with a text above it; each update first deletes the previous frame's entities.
///
/// Stamps come from the scene's timestamps in seconds (within 0.2 µs of a recording's nanoseconds).
public enum FoxgloveSceneUpdates {
    public static let topic = "/fusionlabel/labels"
    static let schemaName = "foxglove.SceneUpdate"

    /// The MCAP bytes for `labels` (an OpenLABEL document whose frame numbers are `scene`'s frame
    /// indices and whose cuboids are in its LiDAR frame, as `annotate` writes them).
    /// - Throws: `ReadError` naming the frame when a labelled frame is not in the scene or holds a
    ///   number JSON cannot carry.
    public static func mcap(labels: OpenLABELDocument, scene: SceneManifest) throws(ReadError) -> [UInt8] {
        var writer = MCAPWriter(profile: "", compression: .zstd(level: 3))
        let schema = writer.addSchema(name: schemaName, encoding: "jsonschema", data: Array(jsonSchema.utf8))
        let channel = writer.addChannel(topic: topic, messageEncoding: "json", schemaID: schema)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let timestamps = Dictionary(uniqueKeysWithValues: scene.frames.map { ($0.index, $0.timestamp) })
        for (sequence, number) in labels.frames.keys.sorted().enumerated() {
            guard let seconds = labels.frames[number]!.timestamp ?? timestamps[number] else {
                throw ReadError(
                    file: "<labels>", location: .jsonPath("openlabel.frames.\(number)"),
                    message: "frame \(number) has no timestamp and scene \(scene.name) has no frame \(number)")
            }
            let stamp = Stamp(seconds: seconds)
            let update = Update(
                deletions: [Deletion(timestamp: stamp, type: 1, id: "")],
                entities: entities(in: labels, frame: number, stamp: stamp, frameID: scene.lidar.name))
            let data: Data
            do {
                data = try encoder.encode(update)
            } catch {
                throw ReadError(
                    file: "<labels>", location: .jsonPath("openlabel.frames.\(number)"),
                    message: "cannot be written as JSON: \(error)")
            }
            writer.addMessage(
                channelID: channel, sequence: UInt32(sequence), logTime: stamp.nanoseconds,
                publishTime: stamp.nanoseconds,
                data: Array(data))
        }
        return writer.finish()
    }

    private static func entities(in labels: OpenLABELDocument, frame number: Int, stamp: Stamp, frameID: String)
        -> [Entity]
    {
        let frame = labels.frames[number]!
        return frame.objects.keys.sorted().flatMap { uid in
            let type = labels.objects[uid]?.type ?? "unknown"
            return frame.objects[uid]!.enumerated().map { position, label in
                let box = label.cuboid
                let color = Color(forClass: type)
                var metadata = [KeyValue(key: "class", value: type)]
                for key in label.attributes.numbers.keys.sorted() {
                    metadata.append(KeyValue(key: key, value: String(label.attributes.numbers[key]!)))
                }
                for key in label.attributes.texts.keys.sorted() {
                    metadata.append(KeyValue(key: key, value: label.attributes.texts[key]!))
                }
                let pose = Pose(box.center, box.rotation)
                var above = box.center
                above.z += box.size.height / 2 + 0.3
                return Entity(
                    timestamp: stamp, frame_id: frameID, id: position == 0 ? uid : "\(uid).\(position)",
                    lifetime: Stamp(sec: 0, nsec: 0), frame_locked: false, metadata: metadata,
                    cubes: [
                        Cube(
                            pose: pose, size: Vector(x: box.size.length, y: box.size.width, z: box.size.height),
                            color: color)
                    ],
                    texts: [
                        Text(
                            pose: Pose(above, .identity), billboard: true, font_size: 14, scale_invariant: true,
                            color: Color(r: 1, g: 1, b: 1, a: 1), text: "\(type) \(uid)")
                    ])
            }
        }
    }

    // MARK: The JSON wire types (field names as Foxglove's schema spells them)

    struct Stamp: Encodable {
        var sec: UInt64
        var nsec: UInt64

        init(sec: UInt64, nsec: UInt64) {
            self.sec = sec
            self.nsec = nsec
        }

        /// Non-negative seconds split without passing through nanoseconds as one `Double`.
        init(seconds: Double) {
            let whole = max(seconds, 0).rounded(.down)
            var fraction = UInt64(((max(seconds, 0) - whole) * 1e9).rounded())
            var sec = UInt64(whole)
            if fraction >= 1_000_000_000 { (sec, fraction) = (sec + 1, fraction - 1_000_000_000) }
            self.init(sec: sec, nsec: fraction)
        }

        var nanoseconds: UInt64 { sec * 1_000_000_000 + nsec }
    }

    struct Vector: Encodable { var x, y, z: Double }
    struct Quaternion: Encodable { var x, y, z, w: Double }

    struct Pose: Encodable {
        var position: Vector
        var orientation: Quaternion

        init(_ position: SIMD3<Double>, _ rotation: UnitQuaternion) {
            self.position = Vector(x: position.x, y: position.y, z: position.z)
            orientation = Quaternion(x: rotation.x, y: rotation.y, z: rotation.z, w: rotation.w)
        }
    }

    struct Color: Encodable {
        var r, g, b, a: Double

        init(r: Double, g: Double, b: Double, a: Double) {
            (self.r, self.g, self.b, self.a) = (r, g, b, a)
        }

        /// A fixed, half-transparent colour per class name (the same name, the same colour, on every run).
        init(forClass name: String) {
            let hash = name.utf8.reduce(UInt32(2_166_136_261)) { ($0 ^ UInt32($1)) &* 16_777_619 }  // FNV-1a
            let hue = Double(hash % 360) / 360
            func channel(_ offset: Double) -> Double { 0.5 + 0.5 * cos(2 * .pi * (hue + offset)) }
            self.init(r: channel(0), g: channel(1.0 / 3), b: channel(2.0 / 3), a: 0.5)
        }
    }

    struct KeyValue: Encodable { var key, value: String }
    struct Cube: Encodable {
        var pose: Pose
        var size: Vector
        var color: Color
    }

    struct Text: Encodable {
        var pose: Pose
        var billboard: Bool
        var font_size: Double
        var scale_invariant: Bool
        var color: Color
        var text: String
    }

    struct Entity: Encodable {
        var timestamp: Stamp
        var frame_id: String
        var id: String
        var lifetime: Stamp
        var frame_locked: Bool
        var metadata: [KeyValue]
        var cubes: [Cube]
        var texts: [Text]
    }

    struct Deletion: Encodable {
        var timestamp: Stamp
        /// 1: every entity on the topic.
        var type: Int
        var id: String
    }

    struct Update: Encodable {
        var deletions: [Deletion]
        var entities: [Entity]
    }

    /// A JSON Schema of the fields written (a subset of Foxglove's `foxglove.SceneUpdate`), stored
    /// in the file so that any reader can check the messages.
    static let jsonSchema = #"""
        {"title":"foxglove.SceneUpdate","type":"object","$defs":{
        "time":{"type":"object","properties":{"sec":{"type":"integer","minimum":0},"nsec":{"type":"integer","minimum":0,"maximum":999999999}},"required":["sec","nsec"]},
        "vector3":{"type":"object","properties":{"x":{"type":"number"},"y":{"type":"number"},"z":{"type":"number"}},"required":["x","y","z"]},
        "pose":{"type":"object","properties":{"position":{"$ref":"#/$defs/vector3"},"orientation":{"type":"object","properties":{"x":{"type":"number"},"y":{"type":"number"},"z":{"type":"number"},"w":{"type":"number"}},"required":["x","y","z","w"]}},"required":["position","orientation"]},
        "color":{"type":"object","properties":{"r":{"type":"number"},"g":{"type":"number"},"b":{"type":"number"},"a":{"type":"number"}},"required":["r","g","b","a"]}},
        "properties":{
        "deletions":{"type":"array","items":{"type":"object","properties":{"timestamp":{"$ref":"#/$defs/time"},"type":{"enum":[0,1]},"id":{"type":"string"}},"required":["timestamp","type","id"]}},
        "entities":{"type":"array","items":{"type":"object","properties":{
        "timestamp":{"$ref":"#/$defs/time"},"frame_id":{"type":"string"},"id":{"type":"string"},"lifetime":{"$ref":"#/$defs/time"},"frame_locked":{"type":"boolean"},
        "metadata":{"type":"array","items":{"type":"object","properties":{"key":{"type":"string"},"value":{"type":"string"}},"required":["key","value"]}},
        "cubes":{"type":"array","items":{"type":"object","properties":{"pose":{"$ref":"#/$defs/pose"},"size":{"$ref":"#/$defs/vector3"},"color":{"$ref":"#/$defs/color"}},"required":["pose","size","color"]}},
        "texts":{"type":"array","items":{"type":"object","properties":{"pose":{"$ref":"#/$defs/pose"},"billboard":{"type":"boolean"},"font_size":{"type":"number"},"scale_invariant":{"type":"boolean"},"color":{"$ref":"#/$defs/color"},"text":{"type":"string"}},"required":["pose","billboard","font_size","scale_invariant","color","text"]}}},
        "required":["timestamp","frame_id","id","lifetime","frame_locked","metadata","cubes","texts"]}}},
        "required":["deletions","entities"]}
        """#
}
