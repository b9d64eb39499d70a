// cv::projectPoints and cv::fisheye::projectPoints on caller-owned double buffers.
#include "native_support.hpp"

#include <opencv2/calib3d.hpp>
#include <opencv2/core.hpp>

extern "C" fusion_native_status fusion_native_cv_project_points(
    const double *points, size_t count, const double *rotation_vector, const double *translation,
    const double *camera_matrix, fusion_native_lens_model model, const double *distortion,
    size_t distortion_count, double *pixels) {
    return fusion_native::guarded([&] {
        if (count == 0) return FUSION_NATIVE_OK;
        if (distortion_count > 0 && distortion == nullptr) return FUSION_NATIVE_INVALID_ARGUMENT;
        // The Mats wrap the caller's memory; OpenCV only reads the inputs.
        const int rows = static_cast<int>(count);
        cv::Mat object(rows, 1, CV_64FC3, const_cast<double *>(points));
        cv::Mat rvec(3, 1, CV_64F, const_cast<double *>(rotation_vector));
        cv::Mat tvec(3, 1, CV_64F, const_cast<double *>(translation));
        cv::Mat k(3, 3, CV_64F, const_cast<double *>(camera_matrix));
        cv::Mat coefficients = distortion_count == 0
                                   ? cv::Mat()
                                   : cv::Mat(1, static_cast<int>(distortion_count), CV_64F,
                                             const_cast<double *>(distortion));
        cv::Mat image(rows, 1, CV_64FC2, pixels);
        switch (model) {
        case FUSION_NATIVE_LENS_PINHOLE:
            cv::projectPoints(object, rvec, tvec, k, coefficients, image);
            break;
        case FUSION_NATIVE_LENS_FISHEYE:
            if (distortion_count != 4) return FUSION_NATIVE_INVALID_ARGUMENT;
            cv::fisheye::projectPoints(object, image, rvec, tvec, k, coefficients);
            break;
        default:
            return FUSION_NATIVE_INVALID_ARGUMENT;
        }
        // OpenCV writes in place when the sizes match; a reallocation would mean a layout mismatch.
        if (image.data != reinterpret_cast<uchar *>(pixels)) return FUSION_NATIVE_INVALID_ARGUMENT;
        return FUSION_NATIVE_OK;
    });
}
