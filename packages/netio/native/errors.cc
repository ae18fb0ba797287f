#include "errors.h"

#include <net/if.h>

#include <cmath>
#include <cstring>

namespace netio {

Napi::Error ErrnoError(Napi::Env env, int err, const char* syscall) {
  const char* name = strerrorname_np(err);
  std::string code = name != nullptr ? name : "E" + std::to_string(err);
  std::string message = std::string(syscall) + ": " + strerror(err) + " (" + code + ")";
  Napi::Error error = Napi::Error::New(env, message);
  error.Set("code", Napi::String::New(env, code));
  error.Set("errno", Napi::Number::New(env, err));
  error.Set("syscall", Napi::String::New(env, syscall));
  return error;
}

bool CheckSys(Napi::Env env, const SysResult& result) {
  if (result.ok()) return true;
  ErrnoError(env, result.err, result.syscall).ThrowAsJavaScriptException();
  return false;
}

void ThrowArgument(Napi::Env env, const std::string& message) {
  Napi::Error error = Napi::TypeError::New(env, message);
  error.Set("code", Napi::String::New(env, "EINVAL"));
  error.ThrowAsJavaScriptException();
}

bool ArgInt(const Napi::CallbackInfo& info, size_t index, const char* name, int64_t min, int64_t max,
            int64_t* out) {
  Napi::Value value = info[index];
  if (value.IsNumber()) {
    double number = value.As<Napi::Number>().DoubleValue();
    if (std::isfinite(number) && std::trunc(number) == number && number >= static_cast<double>(min) &&
        number <= static_cast<double>(max)) {
      *out = static_cast<int64_t>(number);
      return true;
    }
  }
  ThrowArgument(info.Env(), std::string(name) + " must be an integer in [" + std::to_string(min) + ", " +
                                std::to_string(max) + "]");
  return false;
}

bool ArgBytes(const Napi::CallbackInfo& info, size_t index, const char* name, const uint8_t** data,
              size_t* length) {
  Napi::Value value = info[index];
  if (value.IsTypedArray() && value.As<Napi::TypedArray>().TypedArrayType() == napi_uint8_array) {
    Napi::Uint8Array bytes = value.As<Napi::Uint8Array>();
    *data = bytes.Data();
    *length = bytes.ByteLength();
    return true;
  }
  ThrowArgument(info.Env(), std::string(name) + " must be a Uint8Array");
  return false;
}

bool ArgString(const Napi::CallbackInfo& info, size_t index, const char* name, size_t max_length,
               bool optional, std::string* out) {
  Napi::Value value = info[index];
  if (optional && IsAbsent(value)) {
    out->clear();
    return true;
  }
  if (value.IsString()) {
    std::string text = value.As<Napi::String>().Utf8Value();
    if (!text.empty() && text.size() <= max_length && text.find('\0') == std::string::npos) {
      *out = std::move(text);
      return true;
    }
  }
  ThrowArgument(info.Env(), std::string(name) + " must be a non-empty string of at most " +
                                std::to_string(max_length) + " bytes");
  return false;
}

bool ArgBool(const Napi::CallbackInfo& info, size_t index, const char* name, bool* out) {
  Napi::Value value = info[index];
  if (value.IsBoolean()) {
    *out = value.As<Napi::Boolean>().Value();
    return true;
  }
  ThrowArgument(info.Env(), std::string(name) + " must be a boolean");
  return false;
}

bool ArgInterface(const Napi::CallbackInfo& info, size_t index, const char* name, InterfaceRef* out) {
  if (info[index].IsString()) return ArgString(info, index, name, IFNAMSIZ - 1, false, &out->name);
  int64_t ifindex = 0;
  if (!ArgInt(info, index, name, 0, INT32_MAX, &ifindex)) return false;
  out->index = static_cast<int>(ifindex);
  out->name.clear();
  return true;
}

}  // namespace netio
