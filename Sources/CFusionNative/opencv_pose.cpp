// Camera pose from 2D-3D correspondences with OpenCV's RANSAC PnP.
#include "native_support.hpp"

#include <opencv2/calib3d.hpp>
#include <opencv2/core.hpp>

extern "C" fusion_native_status fusion_native_cv_solve_pnp_ransac(
    const double *object_points, const double *image_points, size_t count, const double *camera_matrix,
    const double *distortion, size_t distortion_count, double reprojection_threshold, int32_t iterations,
    double confidence, double *rotation_vector, double *translation, uint8_t *inliers,
    size_t *inlier_count) {
    return fusion_native::guarded([&] {
        *inlier_count = 0;
        if (count < 6 || iterations <= 0 || !(reprojection_threshold > 0) || !(confidence > 0 && confidence < 1))
            return FUSION_NATIVE_INVALID_ARGUMENT;
        if (distortion_count > 0 && distortion == nullptr) return FUSION_NATIVE_INVALID_ARGUMENT;
        const int rows = static_cast<int>(count);
        const cv::Mat object(rows, 1, CV_64FC3, const_cast<double *>(object_points));
        const cv::Mat image(rows, 1, CV_64FC2, const_cast<double *>(image_points));
        const cv::Mat k(3, 3, CV_64F, const_cast<double *>(camera_matrix));
        const cv::Mat coefficients = distortion_count == 0
                                         ? cv::Mat()
                                         : cv::Mat(1, static_cast<int>(distortion_count), CV_64F,
                                                   const_cast<double *>(distortion));
        cv::Mat rvec(3, 1, CV_64F), tvec(3, 1, CV_64F);
        for (int i = 0; i < 3; ++i) {
            rvec.at<double>(i) = rotation_vector[i];
            tvec.at<double>(i) = translation[i];
        }
        std::vector<int> inlier_indices;
        const bool found = cv::solvePnPRansac(object, image, k, coefficients, rvec, tvec, true, iterations,
                                              static_cast<float>(reprojection_threshold), confidence,
                                              inlier_indices, cv::SOLVEPNP_ITERATIVE);
        std::fill(inliers, inliers + count, uint8_t{0});
        if (!found) return FUSION_NATIVE_OK;
        for (int index : inlier_indices) inliers[index] = 1;
        *inlier_count = inlier_indices.size();
        for (int i = 0; i < 3; ++i) {
            rotation_vector[i] = rvec.at<double>(i);
            translation[i] = tvec.at<double>(i);
        }
        return FUSION_NATIVE_OK;
    });
}
