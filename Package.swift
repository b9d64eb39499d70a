// swift-tools-version:6.1
//
// FusionLabel: LiDAR/camera sensor-fusion annotation engine. Layers (DESIGN.md): the CLI on top of the
// FusionLabel umbrella, capability modules, then FusionGeometry / FusionIO (pure Swift, no C++), and
// the C shims over PCL, OpenCV and Eigen at the bottom.
import PackageDescription

let package = Package(
    name: "FusionLabel",
    products: [
        .library(name: "FusionGeometry", targets: ["FusionGeometry"]),
    ],
    targets: [
        // MARK: Swift modules
        .target(name: "FusionGeometry"),

        // MARK: Tests
        .testTarget(name: "FusionGeometryTests", dependencies: ["FusionGeometry"]),
    ],
    swiftLanguageModes: [.v6]
)
