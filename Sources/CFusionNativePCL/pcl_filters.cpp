// PCL clouds, filters and segmentation on the native side of the shim.
// Template instantiations stay on pcl::PointXYZ only, to keep this file quick to compile.
#include "fusion_native_pcl.h"
#include "../CFusionNative/native_support.hpp"
#include "pcl_cloud.hpp"

#include <pcl/common/transforms.h>
#include <pcl/filters/crop_box.h>
#include <pcl/filters/voxel_grid.h>
#include <pcl/point_cloud.h>
#include <pcl/point_types.h>
#include <pcl/search/kdtree.h>
#include <pcl/segmentation/extract_clusters.h>

#include <cstring>


namespace {

/// A row-major 3×4 float matrix as an Eigen affine transform.
Eigen::Affine3f affine(const float *row_major) {
    Eigen::Affine3f transform = Eigen::Affine3f::Identity();
    for (int row = 0; row < 3; ++row)
        for (int column = 0; column < 4; ++column) transform(row, column) = row_major[4 * row + column];
    return transform;
}

void copy_out(const pcl::PointCloud<pcl::PointXYZ> &cloud, float *output) {
    if (!cloud.empty()) std::memcpy(output, cloud.data(), cloud.size() * sizeof(pcl::PointXYZ));
}

} // namespace

extern "C" fusion_native_status fusion_native_pcl_cloud_create(const float *points, size_t count,
                                                               fusion_native_pcl_cloud **cloud) {
    return fusion_native::guarded([&] {
        *cloud = nullptr;
        auto result = std::make_unique<fusion_native_pcl_cloud>();
        result->points = pcl::make_shared<pcl::PointCloud<pcl::PointXYZ>>();
        result->points->resize(count);
        if (count > 0) std::memcpy(result->points->data(), points, count * sizeof(pcl::PointXYZ));
        result->points->width = static_cast<std::uint32_t>(count);
        result->points->height = 1;
        result->points->is_dense = false;
        *cloud = result.release();
        return FUSION_NATIVE_OK;
    });
}

extern "C" void fusion_native_pcl_cloud_free(fusion_native_pcl_cloud *cloud) { delete cloud; }

extern "C" fusion_native_status fusion_native_pcl_voxel_grid(const fusion_native_pcl_cloud *cloud, float leaf_x,
                                                             float leaf_y, float leaf_z, float *output,
                                                             size_t capacity, size_t *output_count) {
    return fusion_native::guarded([&] {
        if (!(leaf_x > 0 && leaf_y > 0 && leaf_z > 0)) return FUSION_NATIVE_INVALID_ARGUMENT;
        pcl::VoxelGrid<pcl::PointXYZ> grid;
        grid.setInputCloud(cloud->points);
        grid.setLeafSize(leaf_x, leaf_y, leaf_z);
        pcl::PointCloud<pcl::PointXYZ> filtered;
        grid.filter(filtered);
        *output_count = filtered.size();
        if (filtered.size() > capacity) return FUSION_NATIVE_BUFFER_TOO_SMALL;
        copy_out(filtered, output);
        return FUSION_NATIVE_OK;
    });
}

extern "C" fusion_native_status fusion_native_pcl_euclidean_clusters(const fusion_native_pcl_cloud *cloud,
                                                                     double tolerance, size_t min_size,
                                                                     size_t max_size, int32_t *labels,
                                                                     size_t *cluster_count) {
    return fusion_native::guarded([&] {
        if (!(tolerance > 0) || min_size > max_size) return FUSION_NATIVE_INVALID_ARGUMENT;
        auto tree = pcl::make_shared<pcl::search::KdTree<pcl::PointXYZ>>();
        tree->setInputCloud(cloud->points);
        pcl::EuclideanClusterExtraction<pcl::PointXYZ> extraction;
        extraction.setClusterTolerance(tolerance);
        extraction.setMinClusterSize(static_cast<pcl::uindex_t>(min_size));
        extraction.setMaxClusterSize(static_cast<pcl::uindex_t>(max_size));
        extraction.setSearchMethod(tree);
        extraction.setInputCloud(cloud->points);
        std::vector<pcl::PointIndices> clusters;
        extraction.extract(clusters);
        std::fill(labels, labels + cloud->points->size(), -1);
        for (size_t cluster = 0; cluster < clusters.size(); ++cluster)
            for (auto index : clusters[cluster].indices) labels[index] = static_cast<int32_t>(cluster);
        *cluster_count = clusters.size();
        return FUSION_NATIVE_OK;
    });
}

extern "C" fusion_native_status fusion_native_pcl_crop_box_count(const fusion_native_pcl_cloud *cloud,
                                                                 const float *box_from_cloud,
                                                                 const float *half_extents, size_t *inside_count) {
    return fusion_native::guarded([&] {
        pcl::CropBox<pcl::PointXYZ> crop;
        crop.setInputCloud(cloud->points);
        crop.setTransform(affine(box_from_cloud));
        crop.setMin(Eigen::Vector4f(-half_extents[0], -half_extents[1], -half_extents[2], 1));
        crop.setMax(Eigen::Vector4f(half_extents[0], half_extents[1], half_extents[2], 1));
        pcl::Indices inside;
        crop.filter(inside);
        *inside_count = inside.size();
        return FUSION_NATIVE_OK;
    });
}

extern "C" fusion_native_status fusion_native_pcl_transform_in_place(fusion_native_pcl_cloud *cloud,
                                                                     const float *target_from_source) {
    return fusion_native::guarded([&] {
        pcl::transformPointCloud(*cloud->points, *cloud->points, affine(target_from_source));
        return FUSION_NATIVE_OK;
    });
}

extern "C" fusion_native_status fusion_native_pcl_cloud_points(const fusion_native_pcl_cloud *cloud, float *output,
                                                               size_t capacity) {
    return fusion_native::guarded([&] {
        if (capacity < cloud->points->size()) return FUSION_NATIVE_BUFFER_TOO_SMALL;
        copy_out(*cloud->points, output);
        return FUSION_NATIVE_OK;
    });
}
