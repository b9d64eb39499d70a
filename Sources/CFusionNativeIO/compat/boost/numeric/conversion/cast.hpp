// Replacement for Boost 1.74's <boost/numeric/conversion/cast.hpp>, found before the system header
// through `.headerSearchPath("compat")`.
//
// Why: <pcl/io/pcd_io.h> includes pcl/io/file_io.h, which calls boost::numeric_cast. Boost 1.74
// implements it with `static_cast<enum>(-1)` in a constant expression, which clang 21 rejects as a
// hard error ("-1 is outside the valid range ... int_float_mixture_enum"); Boost 1.81 fixed it.
// This header keeps the original include guard so the system one is never parsed, and provides
// the same function with the same exceptions for the arithmetic types PCL uses.
#ifndef BOOST_NUMERIC_CONVERSION_CAST_25OCT2001_HPP
#define BOOST_NUMERIC_CONVERSION_CAST_25OCT2001_HPP

#include <boost/numeric/conversion/converter_policies.hpp> // bad_numeric_cast and its overflow subclasses

#include <cmath>
#include <limits>
#include <type_traits>

namespace boost {

template <typename Target, typename Source> inline Target numeric_cast(Source value) {
    static_assert(std::is_arithmetic<Target>::value && std::is_arithmetic<Source>::value,
                  "FusionLabel's numeric_cast replacement handles arithmetic types only");
    using TargetLimits = std::numeric_limits<Target>;
    if constexpr (std::is_floating_point<Source>::value) {
        if constexpr (std::is_integral<Target>::value) {
            if (std::isnan(value)) throw numeric::bad_numeric_cast();
            // Truncation toward zero, as Boost's default Trunc rounding policy.
            const long double truncated = std::trunc(static_cast<long double>(value));
            if (truncated < static_cast<long double>(TargetLimits::lowest())) throw numeric::negative_overflow();
            if (truncated > static_cast<long double>(TargetLimits::max())) throw numeric::positive_overflow();
        } else if (std::isfinite(value)) {
            if (value < static_cast<Source>(TargetLimits::lowest())) throw numeric::negative_overflow();
            if (value > static_cast<Source>(TargetLimits::max())) throw numeric::positive_overflow();
        }
    } else if constexpr (std::is_integral<Target>::value) {
        if constexpr (std::is_signed<Source>::value) {
            if (value < 0) {
                if (!std::is_signed<Target>::value ||
                    static_cast<long long>(value) < static_cast<long long>(TargetLimits::lowest()))
                    throw numeric::negative_overflow();
                return static_cast<Target>(value);
            }
        }
        if (static_cast<unsigned long long>(value) > static_cast<unsigned long long>(TargetLimits::max()))
            throw numeric::positive_overflow();
    }
    return static_cast<Target>(value);
}

using numeric::bad_numeric_cast;

} // namespace boost

#endif
