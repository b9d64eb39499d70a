// The PCL cloud behind the C handle, shared by the shim's PCL files.
#pragma once

#include <pcl/point_cloud.h>
#include <pcl/point_types.h>

#include <cstddef>

static_assert(sizeof(pcl::PointXYZ) == 16, "Swift passes x y z pad records of 16 bytes");
static_assert(offsetof(pcl::PointXYZ, x) == 0 && offsetof(pcl::PointXYZ, y) == 4 &&
                  offsetof(pcl::PointXYZ, z) == 8,
              "Swift writes x y z at byte offsets 0, 4, 8");

struct fusion_native_pcl_cloud {
    pcl::PointCloud<pcl::PointXYZ>::Ptr points;
};
