// swift-tools-version:6.1
//
// libFuzzer drivers for every reader (`ReaderFuzzTarget`), in their own package so that the library
// never builds with fuzzing instrumentation. Run through `scripts/fuzz`, which passes the sanitizer
// and coverage flags and links libFuzzer (see ../README.md, "Hardening"). The readers' switch is the
// main package's FusionFuzzing folder, compiled here as FuzzTargets (Sources/FuzzTargets is a link to
// it): the main package's fuzz regression test replays the same code, and it is no product there.
import PackageDescription

let package = Package(
    name: "FusionLabelFuzz",
    dependencies: [.package(name: "FusionLabel", path: "..")],
    targets: [
        .target(
            name: "FuzzTargets",
            dependencies: [
                .product(name: "FusionIO", package: "FusionLabel"),
                .product(name: "FusionLabel", package: "FusionLabel"),
                .product(name: "FusionPrelabel", package: "FusionLabel"),
                .product(name: "FusionQA", package: "FusionLabel"),
                .product(name: "FusionRecording", package: "FusionLabel"),
            ]
        ),
        // `FuzzReaders <target> [libFuzzer options] [corpus folders]`
        .executableTarget(name: "FuzzReaders", dependencies: ["FuzzTargets"]),
        // `FuzzSeeds <shared scenes> <sample scene> <out>`: small seed inputs per target.
        .executableTarget(
            name: "FuzzSeeds",
            dependencies: [
                "FuzzTargets",
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
