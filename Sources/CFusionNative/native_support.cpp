#include "native_support.hpp"

#include <cstdlib>

namespace {
thread_local std::string last_error;
}

void fusion_native::set_last_error(std::string message) { last_error = std::move(message); }

extern "C" const char *fusion_native_last_error(void) { return last_error.c_str(); }

extern "C" void fusion_native_free(void *memory) { std::free(memory); }
