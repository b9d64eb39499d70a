// PCL VoxelGrid and EuclideanClusterExtraction on caller-owned PointXYZ-layout buffers.
// Template instantiations stay on pcl::PointXYZ only, to keep this file quick to compile.
#include "native_support.hpp"

#include <pcl/filters/voxel_grid.h>
#include <pcl/point_cloud.h>
#include <pcl/point_types.h>
#include <pcl/search/kdtree.h>
#include <pcl/segmentation/extract_clusters.h>

#include <cstring>

static_assert(sizeof(pcl::PointXYZ) == 16, "Swift passes x y z pad records of 16 bytes");
static_assert(offsetof(pcl::PointXYZ, x) == 0 && offsetof(pcl::PointXYZ, y) == 4 &&
                  offsetof(pcl::PointXYZ, z) == 8,
              "Swift writes x y z at byte offsets 0, 4, 8");

namespace {

pcl::PointCloud<pcl::PointXYZ>::Ptr make_cloud(const float *points, size_t count) {
    auto cloud = pcl::make_shared<pcl::PointCloud<pcl::PointXYZ>>();
    cloud->resize(count);
    if (count > 0) std::memcpy(cloud->data(), points, count * sizeof(pcl::PointXYZ));
    cloud->width = static_cast<std::uint32_t>(count);
    cloud->height = 1;
    cloud->is_dense = false;
    return cloud;
}

} // namespace

extern "C" fusion_native_status fusion_native_pcl_voxel_grid(const float *points, size_t count,
                                                             float leaf_x, float leaf_y, float leaf_z,
                                                             float *output, size_t capacity,
                                                             size_t *output_count) {
    return fusion_native::guarded([&] {
        if (!(leaf_x > 0 && leaf_y > 0 && leaf_z > 0)) return FUSION_NATIVE_INVALID_ARGUMENT;
        pcl::VoxelGrid<pcl::PointXYZ> grid;
        grid.setInputCloud(make_cloud(points, count));
        grid.setLeafSize(leaf_x, leaf_y, leaf_z);
        pcl::PointCloud<pcl::PointXYZ> filtered;
        grid.filter(filtered);
        *output_count = filtered.size();
        if (filtered.size() > capacity) return FUSION_NATIVE_BUFFER_TOO_SMALL;
        if (!filtered.empty()) std::memcpy(output, filtered.data(), filtered.size() * sizeof(pcl::PointXYZ));
        return FUSION_NATIVE_OK;
    });
}

extern "C" fusion_native_status fusion_native_pcl_euclidean_clusters(const float *points, size_t count,
                                                                     double tolerance, size_t min_size,
                                                                     size_t max_size, int32_t *labels,
                                                                     size_t *cluster_count) {
    return fusion_native::guarded([&] {
        if (!(tolerance > 0) || min_size > max_size) return FUSION_NATIVE_INVALID_ARGUMENT;
        auto cloud = make_cloud(points, count);
        auto tree = pcl::make_shared<pcl::search::KdTree<pcl::PointXYZ>>();
        tree->setInputCloud(cloud);
        pcl::EuclideanClusterExtraction<pcl::PointXYZ> extraction;
        extraction.setClusterTolerance(tolerance);
        extraction.setMinClusterSize(static_cast<pcl::uindex_t>(min_size));
        extraction.setMaxClusterSize(static_cast<pcl::uindex_t>(max_size));
        extraction.setSearchMethod(tree);
        extraction.setInputCloud(cloud);
        std::vector<pcl::PointIndices> clusters;
        extraction.extract(clusters);
        std::fill(labels, labels + count, -1);
        for (size_t cluster = 0; cluster < clusters.size(); ++cluster)
            for (auto index : clusters[cluster].indices) labels[index] = static_cast<int32_t>(cluster);
        *cluster_count = clusters.size();
        return FUSION_NATIVE_OK;
    });
}
