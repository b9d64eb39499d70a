import FusionGeometry
import Testing

@testable import FusionIO

/// A hybrid document (real and synthetic cuboids) keeps each label's origin through an OpenLABEL
/// round trip and splits back into its two parts.
@Suite struct LabelOriginTests {
    static func cuboid(_ x: Double) -> Cuboid {
        Cuboid(center: SIMD3(x, 0, 0.8), size: Size3(length: 4, width: 1.8, height: 1.6), yaw: 0)
    }

    static var hybrid: OpenLABELDocument {
        var real = OpenLABELDocument.Attributes()
        LabelOrigin.real.record(in: &real)
        var synthetic = OpenLABELDocument.Attributes(numbers: ["points": 12])
        LabelOrigin.synthetic(generator: "FusionSim 1", seed: UInt64.max - 1).record(in: &synthetic)
        var document = OpenLABELDocument(objects: [
            "0": .init(name: "car-0", type: "Car"), "1": .init(name: "car-1", type: "Car"),
            "2": .init(name: "van-2", type: "Van")
        ])
        document.frames[0] = .init(objects: [
            "0": [.init(cuboid: cuboid(5), attributes: real)],
            "1": [.init(cuboid: cuboid(10), attributes: synthetic)]
        ])
        document.frames[1] = .init(objects: [
            "1": [.init(cuboid: cuboid(11), attributes: synthetic)],
            "2": [.init(cuboid: cuboid(20))]
        ])
        return document
    }

    @Test func originsSurviveAnOpenLABELRoundTrip() throws {
        let read = try OpenLABELDocument.parse(try Self.hybrid.data())
        let labels = read.frames.values.flatMap { $0.objects.values.flatMap { $0 } }
        let origins = labels.map { LabelOrigin(attributes: $0.attributes) }
        #expect(origins.filter { $0 == .real }.count == 1)
        // The seed is above 2^53: kept exactly because it is written as text.
        #expect(origins.filter { $0 == .synthetic(generator: "FusionSim 1", seed: UInt64.max - 1) }.count == 2)
        #expect(origins.filter { $0 == nil }.count == 1)
    }

    /// SUSTech POINTS label files carry it as extra keys; files without them read as before.
    @Test func originsSurviveASUSTechLabelRoundTrip() throws {
        let boxes = [
            SUSTechPOINTS.LabeledBox(
                type: "Car", id: "1", cuboid: Self.cuboid(5), origin: .synthetic(generator: "FusionSim 1", seed: 7)),
            SUSTechPOINTS.LabeledBox(type: "Car", id: "2", cuboid: Self.cuboid(9), origin: .real),
            SUSTechPOINTS.LabeledBox(type: "Van", id: "3", cuboid: Self.cuboid(14))
        ]
        let data = try SUSTechPOINTS.labelsData(for: boxes)
        let read = try SUSTechPOINTS.parseLabels(data)
        #expect(read.map(\.origin) == [.synthetic(generator: "FusionSim 1", seed: 7), .real, nil])
        #expect(!String(decoding: data, as: UTF8.self).contains("\"origin\" : null"))
    }

    @Test func aHybridDocumentSplitsBackByOrigin() {
        let synthetic = Self.hybrid.filtered { $0?.isSynthetic == true }
        #expect(synthetic.objects.keys.sorted() == ["1"])
        #expect(
            synthetic.frames[0]?.objects.keys.sorted() == ["1"] && synthetic.frames[1]?.objects.keys.sorted() == ["1"])
        let rest = Self.hybrid.filtered { $0?.isSynthetic != true }
        #expect(rest.objects.keys.sorted() == ["0", "2"])
        #expect(
            rest.frames.values.reduce(0) { $0 + $1.objects.count }
                + synthetic.frames.values.reduce(0) { $0 + $1.objects.count } == 4)
    }

    @Test func recordingAnOriginLeavesRecordedOnesAlone() {
        var document = Self.hybrid
        document.recordOrigin(.real)
        #expect(LabelOrigin(attributes: document.frames[1]!.objects["2"]![0].attributes) == .real)
        #expect(LabelOrigin(attributes: document.frames[1]!.objects["1"]![0].attributes)?.isSynthetic == true)
        var incomplete = OpenLABELDocument.Attributes(texts: ["origin": "synthetic"])
        #expect(LabelOrigin(attributes: incomplete) == nil)
        LabelOrigin.real.record(in: &incomplete)
        #expect(incomplete.texts == ["origin": "real"])
    }
}
