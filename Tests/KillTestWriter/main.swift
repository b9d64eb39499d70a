import Foundation
import FusionGeometry
import FusionIO

// The process the crash-safety test kills (`CrashSafeOutputTests`). It rewrites three files
// through the engine's own writers, version A then B then A… until it is killed:
//   KillTestWriter write <folder>        loop forever
//   KillTestWriter reference <folder>    write version A into <folder>/a and B into <folder>/b, then exit
// Each version is about 3 MB in all, so that a kill often lands inside a write.

/// The content of one version: a PCD sweep, an OpenLABEL document and a raw block of bytes.
struct Version {
    var cloud: PointCloud
    var document = OpenLABELDocument()
    var blob: Data

    init(seed: UInt64) {
        var random = SeededRandomNumberGenerator(seed: seed)
        cloud = PointCloud(
            points: (0..<60_000).map { _ in
                SIMD3(
                    Float.random(in: -50...50, using: &random), Float.random(in: -50...50, using: &random),
                    Float.random(in: -2...3, using: &random))
            })
        for frame in 0..<40 {
            var objects: [String: [OpenLABELDocument.CuboidLabel]] = [:]
            for object in 0..<20 {
                let center = SIMD3(
                    Double.random(in: -40...40, using: &random), Double.random(in: -40...40, using: &random), 0.8)
                let box = Cuboid(
                    center: center, size: Size3(length: 4.2, width: 1.8, height: 1.5),
                    yaw: Double.random(in: -3...3, using: &random))
                objects[String(object)] = [OpenLABELDocument.CuboidLabel(cuboid: box)]
                document.objects[String(object)] = OpenLABELDocument.Object(name: "car \(object)", type: "Car")
            }
            document.frames[frame] = OpenLABELDocument.Frame(objects: objects)
        }
        blob = Data((0..<1_500_000).map { _ in UInt8.random(in: 0...255, using: &random) })
    }

    /// Writes the three files into `folder` through the engine's writers.
    func write(into folder: String) throws {
        try PCDWriter.write(cloud, to: "\(folder)/sweep.pcd", encoding: .binary)
        try document.write(to: "\(folder)/labels.openlabel.json")
        try FileAccess.writeAtomically(blob, to: "\(folder)/blob.bin")
    }
}

let arguments = CommandLine.arguments
guard arguments.count == 3 else {
    FileHandle.standardError.write(Data("usage: KillTestWriter write|reference <folder>\n".utf8))
    exit(64)
}
do {
    switch arguments[1] {
    case "reference":
        for (name, seed) in [("a", UInt64(1)), ("b", 2)] {
            try FileManager.default.createDirectory(
                atPath: "\(arguments[2])/\(name)", withIntermediateDirectories: true)
            try Version(seed: seed).write(into: "\(arguments[2])/\(name)")
        }
    case "write":
        let versions = [Version(seed: 1), Version(seed: 2)]
        // The test starts its clock when this line arrives: from here on the process only writes.
        FileHandle.standardOutput.write(Data("writing\n".utf8))
        for turn in 1... {
            try versions[turn % 2].write(into: arguments[2])
        }
    default:
        FileHandle.standardError.write(Data("unknown mode \(arguments[1])\n".utf8))
        exit(64)
    }
} catch {
    FileHandle.standardError.write(Data("KillTestWriter: \(error)\n".utf8))
    exit(1)
}
