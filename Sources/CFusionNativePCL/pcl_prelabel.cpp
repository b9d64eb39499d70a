// The PCL pre-labelling pipeline FusionPrelabel is benchmarked against, in its own file so the
// feature and sample-consensus headers compile once.
#include "fusion_native_pcl.h"
#include "../CFusionNative/native_support.hpp"
#include "pcl_cloud.hpp"

#include <pcl/features/moment_of_inertia_estimation.h>
#include <pcl/filters/extract_indices.h>
#include <pcl/sample_consensus/method_types.h>
#include <pcl/sample_consensus/model_types.h>
#include <pcl/search/kdtree.h>
#include <pcl/segmentation/extract_clusters.h>
#include <pcl/segmentation/sac_segmentation.h>

extern "C" fusion_native_status fusion_native_pcl_prelabel(const fusion_native_pcl_cloud *cloud,
                                                           double plane_threshold, int plane_iterations,
                                                           double tolerance, size_t min_size, size_t max_size,
                                                           float *boxes, size_t capacity, size_t *ground_count,
                                                           size_t *box_count) {
    return fusion_native::guarded([&] {
        if (!(plane_threshold > 0) || plane_iterations <= 0 || !(tolerance > 0) || min_size > max_size)
            return FUSION_NATIVE_INVALID_ARGUMENT;
        pcl::SACSegmentation<pcl::PointXYZ> segmentation;
        segmentation.setOptimizeCoefficients(true);
        segmentation.setModelType(pcl::SACMODEL_PLANE);
        segmentation.setMethodType(pcl::SAC_RANSAC);
        segmentation.setDistanceThreshold(plane_threshold);
        segmentation.setMaxIterations(plane_iterations);
        segmentation.setInputCloud(cloud->points);
        auto ground = pcl::make_shared<pcl::PointIndices>();
        pcl::ModelCoefficients coefficients;
        segmentation.segment(*ground, coefficients);
        *ground_count = ground->indices.size();

        auto standing = pcl::make_shared<pcl::PointCloud<pcl::PointXYZ>>();
        pcl::ExtractIndices<pcl::PointXYZ> extract;
        extract.setInputCloud(cloud->points);
        extract.setIndices(ground);
        extract.setNegative(true);
        extract.filter(*standing);

        auto tree = pcl::make_shared<pcl::search::KdTree<pcl::PointXYZ>>();
        tree->setInputCloud(standing);
        pcl::EuclideanClusterExtraction<pcl::PointXYZ> clustering;
        clustering.setClusterTolerance(tolerance);
        clustering.setMinClusterSize(static_cast<pcl::uindex_t>(min_size));
        clustering.setMaxClusterSize(static_cast<pcl::uindex_t>(max_size));
        clustering.setSearchMethod(tree);
        clustering.setInputCloud(standing);
        std::vector<pcl::PointIndices> clusters;
        clustering.extract(clusters);
        *box_count = clusters.size();
        if (clusters.size() > capacity) return FUSION_NATIVE_BUFFER_TOO_SMALL;

        for (size_t cluster = 0; cluster < clusters.size(); ++cluster) {
            pcl::MomentOfInertiaEstimation<pcl::PointXYZ> moments;
            moments.setInputCloud(standing);
            moments.setIndices(pcl::make_shared<pcl::PointIndices>(clusters[cluster]));
            moments.compute();
            pcl::PointXYZ low, high, position;
            Eigen::Matrix3f rotation;
            moments.getOBB(low, high, position, rotation);
            float *record = boxes + 15 * cluster;
            record[0] = position.x; record[1] = position.y; record[2] = position.z;
            record[3] = high.x - low.x; record[4] = high.y - low.y; record[5] = high.z - low.z;
            for (int row = 0; row < 3; ++row)
                for (int column = 0; column < 3; ++column) record[6 + 3 * row + column] = rotation(row, column);
        }
        return FUSION_NATIVE_OK;
    });
}
