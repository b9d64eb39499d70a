import Foundation
import FusionGeometry

extension OpenLABELDocument {
    /// Reads an OpenLABEL JSON file.
    public static func read(contentsOf path: String) throws(ReadError) -> OpenLABELDocument {
        try parse(try FileAccess.contents(of: path), file: path)
    }

    /// Parses OpenLABEL JSON; `file` names it in errors, which give the JSON path of the problem.
    public static func parse(_ data: Data, file: String = "<memory>") throws(ReadError) -> OpenLABELDocument {
        let body = try JSONFile.decode(OpenLABELWire.Root.self, from: data, file: file).openlabel
        let reader = WireReader(file: file)
        guard body.metadata.schema_version == "1.0.0" else {
            throw reader.error(
                "openlabel.metadata.schema_version",
                "expected schema_version \"1.0.0\", found \"\(body.metadata.schema_version)\"")
        }
        var document = OpenLABELDocument(
            metadata: Metadata(
                name: body.metadata.name, annotator: body.metadata.annotator,
                comment: body.metadata.comment, fileVersion: body.metadata.file_version))
        for (name, system) in body.coordinate_systems ?? [:] {
            let path = "openlabel.coordinate_systems.\(name)"
            document.coordinateSystems[name] = CoordinateSystem(
                type: system.type, parent: system.parent, children: system.children ?? [],
                poseInParent: try system.pose_wrt_parent.map { (pose) throws(ReadError) in
                    try reader.transform(pose, at: path + ".pose_wrt_parent")
                })
        }
        for (name, stream) in body.streams ?? [:] {
            document.streams[name] = try reader.stream(stream, at: "openlabel.streams.\(name)")
        }
        for (uid, object) in body.objects ?? [:] {
            document.objects[uid] = Object(name: object.name, type: object.type)
        }
        for (key, frame) in body.frames ?? [:] {
            let path = "openlabel.frames.\(key)"
            guard let number = Int(key), number >= 0 else {
                throw reader.error(path, "expected a frame number as the key")
            }
            document.frames[number] = try reader.frame(frame, at: path, knownObjects: document.objects)
        }
        return document
    }

    /// Writes the document atomically (temporary file, flush, rename), one frame at a time: the
    /// JSON of a long sequence is never whole in memory.
    public func write(to path: String) throws(WriteError) {
        try FileAccess.writeAtomically(to: path) { (write: (Data) throws(WriteError) -> Void) throws(WriteError) in
            try encode(file: path, into: write)
        }
    }

    /// The OpenLABEL JSON of the document (pretty, keys sorted: identical documents give identical bytes).
    /// - Throws: `WriteError` when an object uid is neither an integer nor a UUID, or a value is not finite.
    public func data(file: String = "<OpenLABEL>") throws(WriteError) -> Data {
        var data = Data()
        try encode(file: file) { data.append($0) }
        return data
    }

    /// Hands the document's JSON to `write` in pieces: everything but the frames, encoded as one
    /// value with an empty `frames` object, is split where that object is, and the frames are
    /// encoded one by one in between, in the encoder's key order and indentation, so the bytes are
    /// those of the whole document encoded at once.
    private func encode(file: String, into write: (Data) throws(WriteError) -> Void) throws(WriteError) {
        for uid in objects.keys where !Self.isValidUID(uid) {
            throw WriteError(
                file: file, message: "object uid '\(uid)' is neither an integer nor a UUID, as OpenLABEL requires")
        }
        let frameNumbers = frames.keys.sorted()
        let body = wireBody(framesInline: false)
        let outline = try JSONFile.encode(OpenLABELWire.Root(openlabel: body), file: file)
        // Strings never hold a raw line break, so this is the frames object and nothing else.
        let emptyFrames = Data("\n    \"frames\" : {\n\n    }".utf8)
        guard !frames.isEmpty, let placeholder = outline.range(of: emptyFrames) else { return try write(outline) }
        try write(outline[..<placeholder.lowerBound] + Data("\n    \"frames\" : {\n".utf8))
        // JSONEncoder sorts keys by their text ("10" before "9").
        let keys = frameNumbers.map(String.init).sorted()
        for (position, key) in keys.enumerated() {
            let frame = try JSONFile.encode(wire(frames[Int(key)!]!), file: file)
            var piece = [UInt8]("      \"\(key)\" : ".utf8)
            piece.reserveCapacity(piece.count + frame.count + frame.count / 4)
            // Nested three levels deep: every line after the first moves right by six spaces (empty
            // lines, as in an empty object, stay empty).
            let newline = UInt8(ascii: "\n")
            let indent = [UInt8](repeating: UInt8(ascii: " "), count: 6)
            frame.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
                for offset in 0..<bytes.count {
                    piece.append(bytes[offset])
                    if bytes[offset] == newline, offset + 1 < bytes.count, bytes[offset + 1] != newline {
                        piece += indent
                    }
                }
            }
            piece += Array((position + 1 < keys.count ? ",\n" : "\n").utf8)
            try write(Data(piece))
        }
        try write(Data("    }".utf8) + outline[placeholder.upperBound...])
    }

    /// The document on the wire; with `framesInline` false its frames object is left empty (when
    /// there are frames) for `encode` to fill in one frame at a time.
    func wireBody(framesInline: Bool) -> OpenLABELWire.Body {
        let frameNumbers = frames.keys.sorted()
        return OpenLABELWire.Body(
            metadata: OpenLABELWire.Metadata(
                schema_version: "1.0.0", name: metadata.name, annotator: metadata.annotator,
                comment: metadata.comment, file_version: metadata.fileVersion),
            coordinate_systems: coordinateSystems.isEmpty
                ? nil
                : coordinateSystems.mapValues { system in
                    OpenLABELWire.CoordinateSystem(
                        type: system.type, parent: system.parent, children: system.children,
                        pose_wrt_parent: system.poseInParent.map(Self.wire))
                },
            streams: streams.isEmpty ? nil : streams.mapValues(Self.wire),
            objects: objects.isEmpty
                ? nil
                : Dictionary(
                    uniqueKeysWithValues: objects.map { uid, object in
                        (
                            uid,
                            OpenLABELWire.Object(
                                name: object.name, type: object.type,
                                frame_intervals: frameIntervals(of: uid).map(Self.wire))
                        )
                    }),
            frames: frames.isEmpty
                ? nil
                : framesInline
                    ? Dictionary(uniqueKeysWithValues: frames.map { (String($0.key), wire($0.value)) }) : [:],
            frame_intervals: frameNumbers.isEmpty
                ? nil : [OpenLABELWire.FrameInterval(frame_start: frameNumbers.first!, frame_end: frameNumbers.last!)])
    }

    private func wire(_ frame: Frame) -> OpenLABELWire.Frame {
        OpenLABELWire.Frame(
            objects: frame.objects.isEmpty
                ? nil
                : frame.objects.mapValues { labels in
                    OpenLABELWire.FrameObject(object_data: OpenLABELWire.ObjectData(cuboid: labels.map(Self.wire)))
                },
            frame_properties: frame.timestamp == nil && frame.transforms.isEmpty
                ? nil
                : OpenLABELWire.FrameProperties(
                    timestamp: frame.timestamp.map(OpenLABELWire.Timestamp.number),
                    transforms: frame.transforms.isEmpty
                        ? nil
                        : frame.transforms.mapValues { transform in
                            OpenLABELWire.Transform(
                                src: transform.source, dst: transform.destination,
                                transform_src_to_dst: Self.wire(transform.transform))
                        }))
    }

    static func isValidUID(_ uid: String) -> Bool {
        if let number = Int(uid), String(number) == uid { return true }
        return UUID(uuidString: uid) != nil && uid.count == 36
    }

    // MARK: Model → wire

    private static func wire(_ label: CuboidLabel) -> OpenLABELWire.Cuboid {
        let box = label.cuboid
        let q = box.rotation
        let attributes = label.attributes
        return OpenLABELWire.Cuboid(
            name: label.name,
            val: [
                box.center.x, box.center.y, box.center.z, q.x, q.y, q.z, q.w, box.size.length, box.size.width,
                box.size.height
            ],
            coordinate_system: label.coordinateSystem,
            attributes: attributes.isEmpty
                ? nil
                : OpenLABELWire.Attributes(
                    num: attributes.numbers.isEmpty
                        ? nil
                        : attributes.numbers.sorted { $0.key < $1.key }.map { .init(name: $0.key, val: $0.value) },
                    text: attributes.texts.isEmpty
                        ? nil : attributes.texts.sorted { $0.key < $1.key }.map { .init(name: $0.key, val: $0.value) },
                    boolean: attributes.booleans.isEmpty
                        ? nil
                        : attributes.booleans.sorted { $0.key < $1.key }.map { .init(name: $0.key, val: $0.value) }))
    }

    private static func wire(_ transform: RigidTransform) -> OpenLABELWire.TransformData {
        let q = transform.rotation
        let t = transform.translation
        return OpenLABELWire.TransformData(quaternion: [q.x, q.y, q.z, q.w], translation: [t.x, t.y, t.z])
    }

    private static func wire(_ stream: Stream) -> OpenLABELWire.Stream {
        OpenLABELWire.Stream(
            type: stream.type.rawValue, uri: stream.uri, description: stream.description,
            stream_properties: stream.intrinsics.map { intrinsics in
                // The schema wants 5 to 14 coefficients: pad k1 k2 p1 p2 with k3 = 0.
                var coefficients = intrinsics.distortion
                if !coefficients.isEmpty && coefficients.count < 5 {
                    coefficients += Array(repeating: 0, count: 5 - coefficients.count)
                }
                return OpenLABELWire.StreamProperties(
                    intrinsics_pinhole: OpenLABELWire.Pinhole(
                        camera_matrix: intrinsics.cameraMatrix.rowMajor,
                        distortion_coeffs: coefficients.isEmpty ? nil : coefficients,
                        width_px: intrinsics.width, height_px: intrinsics.height))
            })
    }

    private static func wire(_ interval: ClosedRange<Int>) -> OpenLABELWire.FrameInterval {
        OpenLABELWire.FrameInterval(frame_start: interval.lowerBound, frame_end: interval.upperBound)
    }
}

/// Wire → model, with errors at JSON paths.
private struct WireReader {
    let file: String

    func error(_ path: String, _ message: String) -> ReadError {
        ReadError(file: file, location: .jsonPath(path), message: message)
    }

    func finite(_ values: [Double], count: Set<Int>, at path: String, what: String) throws(ReadError) -> [Double] {
        guard count.contains(values.count), values.allSatisfy(\.isFinite) else {
            let counts = count.sorted().map(String.init).joined(separator: " or ")
            throw error(path, "expected \(counts) finite numbers for \(what), found \(values.count)")
        }
        return values
    }

    func rotation(quaternionXYZW q: [Double], at path: String) throws(ReadError) -> UnitQuaternion {
        guard (q[0] * q[0] + q[1] * q[1] + q[2] * q[2] + q[3] * q[3]) > 1e-12 else {
            throw error(path, "expected a non-zero quaternion (x y z w)")
        }
        return UnitQuaternion(w: q[3], x: q[0], y: q[1], z: q[2])
    }

    func transform(_ data: OpenLABELWire.TransformData, at path: String) throws(ReadError) -> RigidTransform {
        if let matrix = data.matrix4x4 {
            let values = try finite(matrix, count: [16], at: path + ".matrix4x4", what: "a row-major 4×4 matrix")
            let top = Matrix3x4(rowMajor: Array(values[0..<12]))
            guard Array(values[12..<16]) == [0, 0, 0, 1], top.linearPart.isRotation(tolerance: 1e-4) else {
                throw error(path + ".matrix4x4", "expected a rigid transform (rotation block, last row 0 0 0 1)")
            }
            return RigidTransform(matrix: top)
        }
        guard let translation = data.translation else {
            throw error(path, "expected matrix4x4, or translation with quaternion or euler_angles")
        }
        let t = try finite(translation, count: [3], at: path + ".translation", what: "a translation")
        let offset = SIMD3(t[0], t[1], t[2])
        if let quaternion = data.quaternion {
            let q = try finite(quaternion, count: [4], at: path + ".quaternion", what: "a quaternion (x y z w)")
            return RigidTransform(
                rotation: try rotation(quaternionXYZW: q, at: path + ".quaternion"), translation: offset)
        }
        if let angles = data.euler_angles {
            let a = try finite(angles, count: [3], at: path + ".euler_angles", what: "Euler angles")
            let sequence = (data.sequence ?? "ZYX").uppercased()
            let axes: [Character: SIMD3<Double>] = ["X": SIMD3(1, 0, 0), "Y": SIMD3(0, 1, 0), "Z": SIMD3(0, 0, 1)]
            guard sequence.count == 3, sequence.allSatisfy({ axes[$0] != nil }) else {
                throw error(path + ".sequence", "expected three axis letters such as \"ZYX\", found \"\(sequence)\"")
            }
            // R = R_first(a0) · R_second(a1) · R_third(a2).
            let rotation = zip(sequence, a).map { UnitQuaternion(axis: axes[$0.0]!, angle: $0.1) }.reduce(
                UnitQuaternion.identity, *)
            return RigidTransform(rotation: rotation, translation: offset)
        }
        throw error(path, "expected a quaternion or euler_angles next to the translation")
    }

    func stream(_ stream: OpenLABELWire.Stream, at path: String) throws(ReadError) -> OpenLABELDocument.Stream {
        let type = OpenLABELDocument.StreamType(rawValue: stream.type ?? "other") ?? .other
        var intrinsics: OpenLABELDocument.PinholeIntrinsics?
        if let pinhole = stream.stream_properties?.intrinsics_pinhole {
            let matrixPath = path + ".stream_properties.intrinsics_pinhole.camera_matrix"
            var values = try finite(
                pinhole.camera_matrix, count: [9, 12], at: matrixPath, what: "a camera matrix (3×4, or 3×3)")
            if values.count == 9 {
                values = [
                    values[0], values[1], values[2], 0, values[3], values[4], values[5], 0, values[6], values[7],
                    values[8], 0
                ]
            }
            guard pinhole.width_px > 0, pinhole.height_px > 0 else {
                throw error(path + ".stream_properties.intrinsics_pinhole", "expected positive width_px and height_px")
            }
            let distortion = try finite(
                pinhole.distortion_coeffs ?? [], count: Set([0] + Array(4...14)),
                at: path + ".stream_properties.intrinsics_pinhole.distortion_coeffs", what: "distortion coefficients")
            intrinsics = OpenLABELDocument.PinholeIntrinsics(
                cameraMatrix: Matrix3x4(rowMajor: values), distortion: distortion,
                width: pinhole.width_px, height: pinhole.height_px)
        }
        return OpenLABELDocument.Stream(
            type: type, uri: stream.uri, description: stream.description, intrinsics: intrinsics)
    }

    func frame(
        _ frame: OpenLABELWire.Frame, at path: String,
        knownObjects: [String: OpenLABELDocument.Object]
    ) throws(ReadError) -> OpenLABELDocument.Frame {
        var result = OpenLABELDocument.Frame()
        switch frame.frame_properties?.timestamp {
        case .number(let seconds)?: result.timestamp = seconds
        case .text(let text)?:
            guard let seconds = Double(text) else {
                throw error(path + ".frame_properties.timestamp", "expected a timestamp in seconds, found \"\(text)\"")
            }
            result.timestamp = seconds
        case nil: break
        }
        for (name, transform) in frame.frame_properties?.transforms ?? [:] {
            let transformPath = path + ".frame_properties.transforms.\(name)"
            result.transforms[name] = OpenLABELDocument.FrameTransform(
                source: transform.src, destination: transform.dst,
                transform: try self.transform(
                    transform.transform_src_to_dst, at: transformPath + ".transform_src_to_dst"))
        }
        for (uid, object) in frame.objects ?? [:] {
            let objectPath = path + ".objects.\(uid)"
            guard knownObjects[uid] != nil else { throw error(objectPath, "expected uid \(uid) in openlabel.objects") }
            var labels: [OpenLABELDocument.CuboidLabel] = []
            for (index, cuboid) in (object.object_data?.cuboid ?? []).enumerated() {
                guard let values = cuboid.val else { continue }  // `val: null` means no geometry in this frame
                labels.append(try label(cuboid, values: values, at: objectPath + ".object_data.cuboid[\(index)]"))
            }
            result.objects[uid] = labels
        }
        return result
    }

    func label(_ cuboid: OpenLABELWire.Cuboid, values: [Double], at path: String) throws(ReadError)
        -> OpenLABELDocument.CuboidLabel
    {
        let v = try finite(values, count: [9, 10], at: path + ".val", what: "a cuboid")
        let rotation: UnitQuaternion
        if v.count == 10 {
            rotation = try self.rotation(quaternionXYZW: Array(v[3..<7]), at: path + ".val")
        } else {
            rotation =
                UnitQuaternion(axis: SIMD3(0, 0, 1), angle: v[5]) * UnitQuaternion(axis: SIMD3(0, 1, 0), angle: v[4])
                * UnitQuaternion(axis: SIMD3(1, 0, 0), angle: v[3])
        }
        let size = Size3(length: v[v.count - 3], width: v[v.count - 2], height: v[v.count - 1])
        guard size.isValid else { throw error(path + ".val", "expected positive sizes, found \(Array(v.suffix(3)))") }
        var attributes = OpenLABELDocument.Attributes()
        for item in cuboid.attributes?.num ?? [] { if let name = item.name { attributes.numbers[name] = item.val } }
        for item in cuboid.attributes?.text ?? [] { if let name = item.name { attributes.texts[name] = item.val } }
        for item in cuboid.attributes?.boolean ?? [] {
            if let name = item.name { attributes.booleans[name] = item.val }
        }
        return OpenLABELDocument.CuboidLabel(
            name: cuboid.name, coordinateSystem: cuboid.coordinate_system,
            cuboid: Cuboid(center: SIMD3(v[0], v[1], v[2]), size: size, rotation: rotation),
            attributes: attributes)
    }
}
