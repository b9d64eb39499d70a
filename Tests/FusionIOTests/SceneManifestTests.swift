import Foundation
import FusionGeometry
import FusionTestSupport
import Testing

@testable import FusionIO

@Suite struct SceneManifestTests {
    static func manifest(lidarPaths: [String] = ["lidar/000000.pcd", "lidar/000001.pcd"]) -> SceneManifest {
        SceneManifest(
            name: "test scene", description: "two frames",
            lidar: .init(name: "top", egoFromLidar: RigidTransform(translation: SIMD3(0, 0, 1.7))),
            cameras: [
                .init(
                    name: "front", width: 1242, height: 375, fx: 721.5, fy: 721.5, cx: 609.6, cy: 172.9,
                    distortion: [-0.1, 0.01, 0, 0], cameraFromLidar: RigidTransform(rotation: UnitQuaternion(yaw: 0.1)))
            ],
            radars: [.init(name: "front radar", radarFromLidar: RigidTransform(translation: SIMD3(-3.5, 0, 1.2)))],
            frames: lidarPaths.enumerated().map { index, path in
                .init(
                    index: index, timestamp: 10 + 0.1 * Double(index), lidar: path,
                    images: ["front": "camera/front/\(index).png"],
                    radar: ["front radar": "radar/\(index).pcd"],
                    worldFromEgo: RigidTransform(translation: SIMD3(Double(index), 0, 0)))
            },
            labels: ["labels/ground truth.json"])
    }

    /// A scene folder on disk with every file the manifest names.
    static func makeSceneFolder(_ manifest: SceneManifest) throws -> String {
        let folder = try TemporaryFiles.folder("scene")
        for (_, relative) in manifest.referencedFiles {
            let path = folder + "/" + relative
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            _ = FileManager.default.createFile(atPath: path, contents: Data("x".utf8))
        }
        try manifest.data().write(to: URL(fileURLWithPath: folder + "/" + SceneManifest.fileName))
        return folder
    }

    @Test func manifestsRoundTrip() throws {
        let manifest = Self.manifest()
        #expect(try SceneManifest.parse(try manifest.data()) == manifest)
    }

    @Test func aSceneFolderOpensWithOddFileNames() throws {
        let manifest = Self.manifest(lidarPaths: ["lidar/frame 0 (copy).pcd", "lidar/ñandú-ü.pcd"])
        let folder = try Self.makeSceneFolder(manifest)
        defer { TemporaryFiles.remove(folder) }
        let scene = try Scene.open(folder)
        #expect(scene.manifest == manifest)
        #expect(try scene.resolve("lidar/./ñandú-ü.pcd").hasSuffix("/lidar/ñandú-ü.pcd"))
    }

    @Test(arguments: ["../outside.pcd", "lidar/../../outside.pcd", "/etc/passwd", "", ".", "lidar/.."])
    func pathsThatLeaveTheFolderAreRefused(path: String) throws {
        var manifest = Self.manifest()
        manifest.frames[1].lidar = path
        let data = try manifest.data()
        do {
            _ = try SceneManifest.parse(data, file: "scene.json")
            Issue.record("expected an error for \(path)")
        } catch {
            #expect(error.location == .jsonPath("frames[1].lidar"), "\(error)")
        }
    }

    @Test func symbolicLinksLeadingOutAreRefused() throws {
        let manifest = Self.manifest()
        let folder = try Self.makeSceneFolder(manifest)
        defer { TemporaryFiles.remove(folder) }
        let outside = TemporaryFiles.file("secret")
        _ = FileManager.default.createFile(atPath: outside, contents: Data("secret".utf8))
        defer { TemporaryFiles.remove(outside) }
        try FileManager.default.removeItem(atPath: folder + "/lidar/000001.pcd")
        try FileManager.default.createSymbolicLink(atPath: folder + "/lidar/000001.pcd", withDestinationPath: outside)
        do {
            _ = try Scene.open(folder)
            Issue.record("expected an error")
        } catch {
            #expect(error.location == .jsonPath("frames[1].lidar"))
            #expect(error.message.contains("leads outside the scene folder"), "\(error)")
        }
        // A link that stays inside is fine.
        try FileManager.default.removeItem(atPath: folder + "/lidar/000001.pcd")
        try FileManager.default.createSymbolicLink(
            atPath: folder + "/lidar/000001.pcd", withDestinationPath: "000000.pcd")
        #expect(throws: Never.self) { _ = try Scene.open(folder) }
    }

    @Test func missingFilesAreReportedWithTheirJSONPath() throws {
        let folder = try Self.makeSceneFolder(Self.manifest())
        defer { TemporaryFiles.remove(folder) }
        try FileManager.default.removeItem(atPath: folder + "/camera/front/1.png")
        do {
            _ = try Scene.open(folder)
            Issue.record("expected an error")
        } catch {
            #expect(error.location == .jsonPath("frames[1].images.front"))
            #expect(error.message.contains("no such file"))
        }
    }

    struct BadManifest: CustomTestStringConvertible, Sendable {
        var name: String
        var edit: @Sendable (inout SceneManifest) -> Void
        var path: String
        var testDescription: String { name }
    }

    static let badManifests: [BadManifest] = [
        BadManifest(name: "timestamps going back", edit: { $0.frames[1].timestamp = 5 }, path: "frames[1].timestamp"),
        BadManifest(
            name: "image for an unknown camera", edit: { $0.frames[0].images["rear"] = "x.png" },
            path: "frames[0].images.rear"),
        BadManifest(name: "duplicate camera", edit: { $0.cameras.append($0.cameras[0]) }, path: "cameras[1].name"),
        BadManifest(name: "zero focal length", edit: { $0.cameras[0].fx = 0 }, path: "cameras[0].intrinsics"),
        BadManifest(
            name: "three distortion coefficients", edit: { $0.cameras[0].distortion = [0.1, 0, 0] },
            path: "cameras[0].distortion"),
        BadManifest(name: "absurd image size", edit: { $0.cameras[0].width = 1 << 40 }, path: "cameras[0]"),
        BadManifest(
            name: "scan of an unknown radar", edit: { $0.frames[1].radar["rear radar"] = "r.pcd" },
            path: "frames[1].radar.rear radar"),
        BadManifest(name: "duplicate radar", edit: { $0.radars.append($0.radars[0]) }, path: "radars[1].name"),
        BadManifest(
            name: "camera named like a path out", edit: { $0.cameras[0].name = "../../evil" }, path: "cameras[0].name"),
        BadManifest(name: "camera named ..", edit: { $0.cameras[0].name = ".." }, path: "cameras[0].name"),
        BadManifest(
            name: "radar named with a control character", edit: { $0.radars[0].name = "front\nradar" },
            path: "radars[0].name"),
        BadManifest(name: "LiDAR with an empty name", edit: { $0.lidar.name = "" }, path: "lidar.name"),
        BadManifest(
            name: "radar scan leaving the folder", edit: { $0.frames[0].radar["front radar"] = "../r.pcd" },
            path: "frames[0].radar.front radar")
    ]

    @Test(arguments: badManifests)
    func inconsistentManifestsAreRefused(testCase: BadManifest) throws {
        var manifest = Self.manifest()
        testCase.edit(&manifest)
        let data = try manifest.data()
        do {
            _ = try SceneManifest.parse(data)
            Issue.record("expected an error")
        } catch {
            #expect(error.location == .jsonPath(testCase.path), "\(error)")
        }
    }

    @Test func aNonUnitQuaternionIsNotSilentlyNormalised() throws {
        let text = String(decoding: try Self.manifest().data(), as: UTF8.self)
            .replacingOccurrences(of: "\"w\" : 1,", with: "\"w\" : 2,")
        #expect(throws: ReadError.self) { _ = try SceneManifest.parse(Data(text.utf8)) }
        #expect(throws: ReadError.self) { _ = try SceneManifest.parse(Data("{\"format\": \"other\"}".utf8)) }
    }
}
