// swift-tools-version:6.1
//
// libFuzzer drivers for every reader (`ReaderFuzzTarget` in the main package), in their own package
// so that the library never builds with fuzzing instrumentation. Run through `scripts/fuzz`, which
// passes the sanitizer and coverage flags and links libFuzzer (see ../README.md, "Hardening").
import PackageDescription

let package = Package(
    name: "FusionLabelFuzz",
    dependencies: [.package(name: "FusionLabel", path: "..")],
    targets: [
        // `FuzzReaders <target> [libFuzzer options] [corpus folders]`
        .executableTarget(name: "FuzzReaders", dependencies: [.product(name: "FusionFuzzing", package: "FusionLabel")]),
        // `FuzzSeeds <shared scenes> <sample scene> <out>`: small seed inputs per target.
        .executableTarget(
            name: "FuzzSeeds",
            dependencies: [
                .product(name: "FusionFuzzing", package: "FusionLabel"),
                .product(name: "FusionIO", package: "FusionLabel"),
                .product(name: "FusionGeometry", package: "FusionLabel"),
                .product(name: "FusionLabel", package: "FusionLabel"),
                .product(name: "FusionPrelabel", package: "FusionLabel"),
                .product(name: "FusionQA", package: "FusionLabel"),
                .product(name: "FusionRecording", package: "FusionLabel"),
            ]
        ),
    ]
)
