// Shared by the shim's .cpp files (not public): the exception barrier and the last-error slot.
#pragma once

#include "fusion_native.h"

#include <exception>
#include <string>

namespace fusion_native {

/// Records `message` as the calling thread's last error.
void set_last_error(std::string message);

/// Runs `body` (returning a fusion_native_status) so that no C++ exception escapes to the caller.
template <typename Body>
fusion_native_status guarded(Body &&body) noexcept {
    try {
        set_last_error({});
        return body();
    } catch (const std::exception &error) {
        set_last_error(error.what());
        return FUSION_NATIVE_EXCEPTION;
    } catch (...) {
        set_last_error("unknown C++ exception");
        return FUSION_NATIVE_EXCEPTION;
    }
}

} // namespace fusion_native
