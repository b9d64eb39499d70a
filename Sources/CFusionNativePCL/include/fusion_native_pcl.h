// PCL filters and segmentation, and Eigen transforms, behind a plain-C header: the oracles that
// FusionGeometry and FusionPrelabel are checked against. Kept out of CFusionNative so that the CLI and
// the runtime modules never load PCL (with FLANN, about 10 more shared libraries at start-up).
#pragma once

#include "fusion_native.h"

#ifdef __cplusplus
extern "C" {
#endif

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

/// The pre-labelling pipeline as PCL's own classes do it: `SACSegmentation` (plane, RANSAC,
/// optimised coefficients) takes out the ground, `EuclideanClusterExtraction` clusters the rest,
/// `MomentOfInertiaEstimation` gives each cluster an oriented bounding box.
/// Native because: it is the baseline FusionPrelabel's whole pipeline is measured against.
/// - plane_threshold: metres; tolerance: metres; cluster sizes in points.
/// - boxes: `capacity` records of 15 floats: OBB centre x y z (metres), extents along its axes,
///   then its rotation matrix, row-major. `*box_count` receives the number of clusters (when it
///   exceeds `capacity`, FUSION_NATIVE_BUFFER_TOO_SMALL); `*ground_count` the plane's inliers.
fusion_native_status fusion_native_pcl_prelabel(const fusion_native_pcl_cloud *_Nonnull cloud,
                                                double plane_threshold, int plane_iterations,
                                                double tolerance, size_t min_size, size_t max_size,
                                                float *_Nonnull boxes, size_t capacity,
                                                size_t *_Nonnull ground_count, size_t *_Nonnull box_count);

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
