// TAP devices: create and delete persistent ones, and open one as a guest would (evented frames).
#pragma once

#include <napi.h>

#include <string>

#include "frame_port.h"

namespace netio {

class TapDevice : public FramePort<TapDevice> {
 public:
  static Napi::Function Init(Napi::Env env);
  // JS: new TapDevice(name, vnetHdr, create, netns | null). Without create, the device must exist.
  explicit TapDevice(const Napi::CallbackInfo& info);

  ssize_t ReadFrame();
  int PendingError();
  static bool IsTransient(int err);
  bool DeliverFrame(Napi::Env env, Napi::Object self, Napi::Function onframe, size_t length);

 private:
  // JS: write(frame) -> bytes written
  Napi::Value Write(const Napi::CallbackInfo& info);
  Napi::Value Name(const Napi::CallbackInfo& info);

  std::string name_;
};

// JS: tapCreate(nameOrTemplate, vnetHdr, owner (-1: none), group (-1: none), netns | null) -> name.
// The device is persistent and exclusive: an existing name fails with EBUSY.
Napi::Value TapCreate(const Napi::CallbackInfo& info);
// JS: tapDelete(name, netns | null). Fails with ENODEV when absent, EINVAL when not a TAP, EBUSY when open.
Napi::Value TapDelete(const Napi::CallbackInfo& info);

}  // namespace netio
