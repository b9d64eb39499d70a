// The plain-C face of FusionLabel's native bridge to PCL, OpenCV and Eigen.
//
// Rules (see DESIGN.md, "The C shim pattern"):
// - every symbol is prefixed `fusion_native_`; no C++ type crosses this header;
// - buffers are caller-owned, flat, with explicit counts; points are x y z triples of doubles or
//   16-byte x y z pad records of floats (the layout of pcl::PointXYZ);
// - every function returns a `fusion_native_status`; C++ exceptions never unwind into the caller.
#pragma once

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Outcome of a native call. Swift turns anything but OK into an error in one place (`checked`).
typedef enum fusion_native_status {
    FUSION_NATIVE_OK = 0,
    /// An argument is outside what the function accepts (a negative size, an unknown model).
    FUSION_NATIVE_INVALID_ARGUMENT = 1,
    /// The caller's output buffer is smaller than the result.
    FUSION_NATIVE_BUFFER_TOO_SMALL = 2,
    /// A file could not be read or parsed by the native library.
    FUSION_NATIVE_IO_ERROR = 3,
    /// The native library threw a C++ exception; the message is in `fusion_native_last_error`.
    FUSION_NATIVE_EXCEPTION = 4,
} fusion_native_status;

/// The message of the last failure on the calling thread (empty if none). Valid until the next
/// native call on the same thread.
const char *_Nonnull fusion_native_last_error(void);

// MARK: - PCL point clouds, filters and segmentation (oracles for FusionGeometry and FusionPrelabel)

/// A `pcl::PointCloud<pcl::PointXYZ>` owned by the native side, so that repeated PCL calls on one
/// cloud (benchmarks) do not copy it each time.
typedef struct fusion_native_pcl_cloud fusion_native_pcl_cloud;

/// Copies `count` records of 4 floats (x y z pad, metres: the layout of pcl::PointXYZ) into a new
/// PCL cloud. Release it with `fusion_native_pcl_cloud_free`.
fusion_native_status fusion_native_pcl_cloud_create(const float *_Nonnull points, size_t count,
                                                    fusion_native_pcl_cloud *_Nullable *_Nonnull cloud);

void fusion_native_pcl_cloud_free(fusion_native_pcl_cloud *_Nullable cloud);

/// PCL `VoxelGrid<PointXYZ>`: one centroid per occupied voxel.
/// Native because: it is the reference our own downsampling is compared against.
/// - leaf sizes in metres, > 0.
/// - output: at most `capacity` records of 4 floats; `*output_count` receives the number written.
///   A capacity of the cloud's size is always enough.
fusion_native_status fusion_native_pcl_voxel_grid(const fusion_native_pcl_cloud *_Nonnull cloud,
                                                  float leaf_x, float leaf_y, float leaf_z,
                                                  float *_Nonnull output, size_t capacity,
                                                  size_t *_Nonnull output_count);

/// PCL `EuclideanClusterExtraction<PointXYZ>` with a kd-tree.
/// Native because: it is the reference our voxel-hash clustering must reproduce.
/// - labels: one int32 per point, written: the cluster index of each point in PCL's order
///   (largest cluster first), or -1 for points in no cluster of accepted size.
/// - `*cluster_count` receives the number of clusters.
fusion_native_status fusion_native_pcl_euclidean_clusters(const fusion_native_pcl_cloud *_Nonnull cloud,
                                                          double tolerance, size_t min_size,
                                                          size_t max_size, int32_t *_Nonnull labels,
                                                          size_t *_Nonnull cluster_count);

/// PCL `CropBox<PointXYZ>`: how many points lie inside an oriented box.
/// Native because: it is the reference for `PointCloud.countPoints(inside:)`.
/// - box_from_cloud: row-major 3×4 rigid transform taking cloud coordinates into the box frame.
/// - half_extents: half the box's length, width, height (metres).
fusion_native_status fusion_native_pcl_crop_box_count(const fusion_native_pcl_cloud *_Nonnull cloud,
                                                      const float *_Nonnull box_from_cloud,
                                                      const float *_Nonnull half_extents,
                                                      size_t *_Nonnull inside_count);

/// `pcl::transformPointCloud` with a rigid transform, in place.
/// Native because: it is the reference for `PointCloud.transform(by:)`.
/// - target_from_source: row-major 3×4.
fusion_native_status fusion_native_pcl_transform_in_place(fusion_native_pcl_cloud *_Nonnull cloud,
                                                          const float *_Nonnull target_from_source);

/// Copies the cloud's points out: `count` records of 4 floats (x y z pad), `capacity` records at most.
fusion_native_status fusion_native_pcl_cloud_points(const fusion_native_pcl_cloud *_Nonnull cloud,
                                                    float *_Nonnull output, size_t capacity);

// MARK: - OpenCV projection (oracle for FusionCalibration)

/// Camera lens models understood by `fusion_native_cv_project_points`.
typedef enum fusion_native_lens_model {
    /// `cv::projectPoints`: 0, 4, 5, 8, 12 or 14 coefficients (k1 k2 p1 p2 [k3 [k4 k5 k6 [s1..s4 [tx ty]]]]).
    FUSION_NATIVE_LENS_PINHOLE = 0,
    /// `cv::fisheye::projectPoints`: exactly 4 coefficients (k1 k2 k3 k4), equidistant model.
    FUSION_NATIVE_LENS_FISHEYE = 1,
} fusion_native_lens_model;

/// Projects points with OpenCV.
/// Native because: OpenCV's projection is the reference our SIMD projection must match.
/// - points: `count` x y z triples (doubles) in the source frame.
/// - rotation_vector, translation: `cameraFromSource` as a Rodrigues vector and metres.
/// - camera_matrix: 3x3 row-major K.
/// - pixels: `count` u v pairs (doubles), written.
fusion_native_status fusion_native_cv_project_points(const double *_Nonnull points, size_t count,
                                                     const double *_Nonnull rotation_vector,
                                                     const double *_Nonnull translation,
                                                     const double *_Nonnull camera_matrix,
                                                     fusion_native_lens_model model,
                                                     const double *_Nullable distortion,
                                                     size_t distortion_count,
                                                     double *_Nonnull pixels);

// MARK: - Eigen transforms (oracle for FusionGeometry)

/// Applies a rigid transform with Eigen: `output = q * input + t`.
/// Native because: Eigen's quaternion arithmetic is the reference for our own RigidTransform.
/// - quaternion: w x y z (need not be normalised: it is normalised first, as Eigen does).
/// - input, output: `count` x y z triples (doubles); may not overlap.
fusion_native_status fusion_native_eigen_transform_points(const double *_Nonnull quaternion_wxyz,
                                                          const double *_Nonnull translation,
                                                          const double *_Nonnull input, size_t count,
                                                          double *_Nonnull output);

#ifdef __cplusplus
}
#endif
