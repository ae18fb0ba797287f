// Error and argument helpers shared by every native file.
// All failures become JS exceptions (NAPI_DISABLE_CPP_EXCEPTIONS): a helper that returns false has already
// made an exception pending, and the caller returns an empty value at once.
#pragma once

#include <napi.h>

#include <cstdint>
#include <string>

namespace netio {

// A syscall outcome: err is an errno value (0 on success), syscall names the call that failed.
struct SysResult {
  int err = 0;
  const char* syscall = nullptr;
  bool ok() const { return err == 0; }
  static SysResult Fail(const char* syscall_name, int error) { return SysResult{error, syscall_name}; }
};

// An Error carrying code (errno name, e.g. 'ENODEV'), errno (number) and syscall.
Napi::Error ErrnoError(Napi::Env env, int err, const char* syscall);
// Throws ErrnoError(result) and returns false when result failed.
bool CheckSys(Napi::Env env, const SysResult& result);
// Throws a TypeError with code 'EINVAL' for a bad argument.
void ThrowArgument(Napi::Env env, const std::string& message);

inline bool IsAbsent(const Napi::Value& value) { return value.IsNull() || value.IsUndefined(); }

// Argument readers. Each throws and returns false on a wrong type or range.
bool ArgInt(const Napi::CallbackInfo& info, size_t index, const char* name, int64_t min, int64_t max,
            int64_t* out);
bool ArgBytes(const Napi::CallbackInfo& info, size_t index, const char* name, const uint8_t** data,
              size_t* length);
// A string of at most max_length bytes; null or undefined gives "" when optional is true.
bool ArgString(const Napi::CallbackInfo& info, size_t index, const char* name, size_t max_length,
               bool optional, std::string* out);
bool ArgBool(const Napi::CallbackInfo& info, size_t index, const char* name, bool* out);

// An interface given as an index (number) or a name (string); names resolve to 0 here and are looked up later.
struct InterfaceRef {
  int index = 0;
  std::string name;
};
bool ArgInterface(const Napi::CallbackInfo& info, size_t index, const char* name, InterfaceRef* out);

}  // namespace netio
