// Rigid transforms with Eigen's quaternions, as an independent reference for FusionGeometry.
#include "fusion_native_pcl.h"
#include "../CFusionNative/native_support.hpp"

#include <Eigen/Geometry>

extern "C" fusion_native_status fusion_native_eigen_transform_points(const double *quaternion_wxyz,
                                                                     const double *translation,
                                                                     const double *input, size_t count,
                                                                     double *output) {
    return fusion_native::guarded([&] {
        Eigen::Quaterniond rotation(quaternion_wxyz[0], quaternion_wxyz[1], quaternion_wxyz[2],
                                    quaternion_wxyz[3]);
        if (!(rotation.norm() > 0)) return FUSION_NATIVE_INVALID_ARGUMENT;
        rotation.normalize();
        const Eigen::Map<const Eigen::Vector3d> offset(translation);
        const Eigen::Map<const Eigen::Matrix<double, 3, Eigen::Dynamic>> source(input, 3,
                                                                                 static_cast<Eigen::Index>(count));
        Eigen::Map<Eigen::Matrix<double, 3, Eigen::Dynamic>> target(output, 3, static_cast<Eigen::Index>(count));
        target = (rotation.toRotationMatrix() * source).colwise() + offset;
        return FUSION_NATIVE_OK;
    });
}
