// swift-tools-version:6.1
//
// FusionLabel: LiDAR/camera sensor-fusion annotation engine. Layers (DESIGN.md): the CLI on top of the
// FusionLabel umbrella, capability modules, then FusionGeometry / FusionIO (pure Swift, no C++), and
// the C shims over PCL, OpenCV and Eigen at the bottom.
import PackageDescription

// Libraries the native shims link, by name rather than through pkg-config: `opencv4.pc` links all
// 55 OpenCV modules and `pcl_segmentation.pc` pulls HDF5 and MPI through FLANN, about 375 shared
// libraries and 0.3 s of start-up for any executable that links them. These are the ones we call.
let openCVLibraries: [LinkerSetting] = ["opencv_core", "opencv_imgproc", "opencv_calib3d", "opencv_imgcodecs"]
    .map { .linkedLibrary($0) }
let pclLibraries: [LinkerSetting] = [
    "pcl_segmentation", "pcl_features", "pcl_sample_consensus", "pcl_filters", "pcl_search", "pcl_kdtree", "pcl_octree"
]
.map { .linkedLibrary($0) }

let package = Package(
    name: "FusionLabel",
    products: [
        .library(name: "FusionLabel", targets: ["FusionLabel"]),
        .library(name: "FusionGeometry", targets: ["FusionGeometry"]),
        .library(name: "FusionIO", targets: ["FusionIO"]),
        .library(name: "FusionRecording", targets: ["FusionRecording"]),
        .library(name: "FusionCalibration", targets: ["FusionCalibration"]),
        .library(name: "FusionSim", targets: ["FusionSim"]),
        .library(name: "FusionQA", targets: ["FusionQA"]),
        .library(name: "FusionTracking", targets: ["FusionTracking"]),
        .library(name: "FusionPrelabel", targets: ["FusionPrelabel"]),
        // PCL/OpenCV/Eigen reference implementations: oracles for tests and benchmarks.
        .library(name: "FusionReference", targets: ["FusionReference"]),
        .executable(name: "fusionlabel", targets: ["FusionLabelCLI"])
    ],
    traits: [
        // Off by default: fused multiply-adds are only fast on CPUs that have them (x86-64-v3 and up),
        // and change the projection's last bits. README, "Building for AVX2".
        .trait(
            name: "FusedMultiplyAdd",
            description: "Fuse the projection kernel's multiply-adds (build with -target-cpu x86-64-v3 or newer)."
        )
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3")
    ],
    targets: [
        // MARK: System libraries (headers and pkg-config flags only; the shims include the headers)
        .systemLibrary(name: "CEigen", pkgConfig: "eigen3", providers: [.apt(["libeigen3-dev"])]),
        .systemLibrary(name: "CPCL", pkgConfig: "pcl_common", providers: [.apt(["libpcl-dev"])]),
        .systemLibrary(name: "CPCLIO", pkgConfig: "pcl_io", providers: [.apt(["libpcl-dev"])]),
        // Recordings (MCAP chunks): zstd and LZ4 frame decompression, ISA-L's CRC-32 (PCLMUL/AVX-512
        // folding: 26 GB/s here against zlib's 4).
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(name: "CLZ4", pkgConfig: "liblz4", providers: [.apt(["liblz4-dev"])]),
        .systemLibrary(name: "CISAL", pkgConfig: "libisal", providers: [.apt(["libisal-dev"])]),
        // ROS 1 bag chunks: bzip2 (Debian's libbz2-dev ships no pkg-config file).
        .systemLibrary(name: "CBZip2", providers: [.apt(["libbz2-dev"])]),
        // rosbag2's SQLite storage (.db3).
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),

        // MARK: C++17 shims with plain-C headers
        // OpenCV (images, edges, PnP, drawing, projection oracle) and the status shared by all shims:
        // the only native code the runtime modules and the CLI load. OpenCV's headers come through
        // `system/opencv2`, a link to /usr/include/opencv4/opencv2 (Debian's libopencv-dev), so that no
        // pkg-config file drags in every OpenCV module.
        .target(
            name: "CFusionNative",
            exclude: ["system"],
            cxxSettings: [.headerSearchPath("system")],
            linkerSettings: openCVLibraries
        ),
        // PCL filters and segmentation, and Eigen: oracles for tests and benchmarks only.
        .target(
            name: "CFusionNativePCL",
            dependencies: ["CFusionNative", "CPCL", "CEigen"],
            linkerSettings: pclLibraries
        ),
        // PCL's PCD reader (libpcl_io loads VTK): linked by the oracle module only.
        .target(
            name: "CFusionNativeIO",
            dependencies: ["CFusionNative", "CPCLIO"],
            exclude: ["compat"],
            cxxSettings: [.headerSearchPath("compat")]
        ),

        // MARK: Swift modules
        .target(name: "FusionSupport"),
        .target(name: "FusionGeometry"),
        .target(name: "FusionIO", dependencies: ["FusionGeometry"]),
        // ROS recordings: MCAP and ROS 1 bags, ROS 2 CDR and ROS 1 messages, the transform buffer.
        .target(
            name: "FusionRecording",
            dependencies: ["FusionSupport", "FusionGeometry", "FusionIO", "CZstd", "CLZ4", "CISAL", "CBZip2", "CSQLite"]
        ),
        .target(name: "FusionSim", dependencies: ["FusionSupport", "FusionGeometry", "FusionIO", "FusionCalibration"]),
        .target(
            name: "FusionCalibration", dependencies: ["FusionSupport", "FusionGeometry", "FusionIO", "CFusionNative"]),
        .target(
            name: "FusionReference",
            dependencies: [
                "FusionGeometry", "FusionCalibration", "CFusionNative", "CFusionNativePCL", "CFusionNativeIO"
            ]
        ),
        .target(
            name: "FusionQA",
            dependencies: [
                "FusionSupport", "FusionGeometry", "FusionIO", "FusionTracking",
                .product(name: "Crypto", package: "swift-crypto")
            ]),
        .target(name: "FusionTracking", dependencies: ["FusionGeometry", "FusionIO"]),
        .target(
            name: "FusionPrelabel",
            dependencies: [
                "FusionSupport", "FusionGeometry", "FusionIO", "FusionCalibration",
                .product(name: "Crypto", package: "swift-crypto")
            ]),
        .target(
            name: "FusionLabel",
            dependencies: [
                "FusionSupport", "FusionGeometry", "FusionIO", "FusionRecording", "FusionCalibration", "FusionQA",
                "FusionTracking", "FusionPrelabel", .product(name: "Crypto", package: "swift-crypto")
            ],
            // The review page's style sheet and script, compiled into the module (no bundle to ship
            // beside the binary).
            resources: [
                .embedInCode("Review/Resources/review.css"), .embedInCode("Review/Resources/review.js")
            ]),
        // Every reader of untrusted bytes behind one switch: replayed by the fuzz regression test,
        // and compiled again by Fuzz/ (through a link to this folder) for the fuzzers. Not a product.
        .target(
            name: "FusionFuzzing",
            dependencies: ["FusionIO", "FusionRecording", "FusionLabel", "FusionPrelabel", "FusionQA"]),
        .executableTarget(
            name: "FusionLabelCLI",
            dependencies: [
                "FusionSupport", "FusionIO", "FusionCalibration", "FusionPrelabel", "FusionQA", "FusionSim",
                "FusionTracking", "FusionLabel", "FusionRecording",
                .product(name: "ArgumentParser", package: "swift-argument-parser")
            ]
        ),

        // MARK: Tests
        .target(name: "FusionTestSupport", path: "Tests/FusionTestSupport"),
        // The writer the crash-safety test kills with SIGKILL.
        .executableTarget(
            name: "KillTestWriter", dependencies: ["FusionGeometry", "FusionIO"], path: "Tests/KillTestWriter"),
        .testTarget(name: "FusionSupportTests", dependencies: ["FusionSupport"]),
        .testTarget(name: "FusionGeometryTests", dependencies: ["FusionGeometry", "FusionTestSupport"]),
        .testTarget(name: "FusionIOTests", dependencies: ["FusionIO", "FusionTestSupport"]),
        .testTarget(
            name: "FusionRecordingTests",
            dependencies: [
                "FusionSupport", "FusionRecording", "FusionIO", "FusionGeometry", "CZstd", "CLZ4", "CBZip2", "CSQLite",
                "FusionTestSupport"
            ]),
        .testTarget(name: "FusionReferenceTests", dependencies: ["FusionReference", "FusionIO", "FusionTestSupport"]),
        .testTarget(
            name: "FusionCalibrationTests",
            dependencies: ["FusionCalibration", "FusionReference", "FusionIO", "FusionSim", "FusionTestSupport"]
        ),
        .testTarget(name: "FusionSimTests", dependencies: ["FusionSim", "FusionIO", "FusionTestSupport"]),
        .testTarget(name: "FusionQATests", dependencies: ["FusionQA", "FusionTestSupport"]),
        .testTarget(
            name: "FusionPrelabelTests",
            dependencies: [
                "FusionSupport", "FusionPrelabel", "FusionReference", "FusionIO", "FusionCalibration", "FusionSim",
                "FusionTestSupport"
            ]),
        .testTarget(
            name: "FusionTrackingTests", dependencies: ["FusionTracking", "FusionIO", "FusionSim", "FusionTestSupport"]),
        .testTarget(
            name: "FusionLabelTests",
            dependencies: [
                "FusionGeometry", "FusionIO", "FusionCalibration", "FusionPrelabel", "FusionQA", "FusionSim",
                "FusionTracking", "FusionLabel", "FusionLabelCLI", "FusionFuzzing", "FusionTestSupport"
            ])
    ],
    swiftLanguageModes: [.v6],
    cxxLanguageStandard: .cxx17
)
