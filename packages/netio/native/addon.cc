// netio: the kernel calls Node lacks. Each file covers one concern; this one only registers them.
#include <napi.h>

#include "lifeline.h"
#include "netns.h"
#include "packet_socket.h"
#include "raw_ipv4.h"
#include "splice_relay.h"
#include "tap.h"
#include "udp.h"

namespace netio {

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("HangupWatch", HangupWatch::Init(env));
  exports.Set("createPipe", Napi::Function::New(env, CreatePipe, "createPipe"));
  exports.Set("PacketSocket", PacketSocket::Init(env));
  exports.Set("TapDevice", TapDevice::Init(env));
  exports.Set("tapCreate", Napi::Function::New(env, TapCreate, "tapCreate"));
  exports.Set("tapDelete", Napi::Function::New(env, TapDelete, "tapDelete"));
  exports.Set("openSocket", Napi::Function::New(env, OpenSocket, "openSocket"));
  exports.Set("interfaceIndex", Napi::Function::New(env, InterfaceIndex, "interfaceIndex"));
  exports.Set("setnsCurrentThread", Napi::Function::New(env, SetnsCurrentThread, "setnsCurrentThread"));
  exports.Set("nameNetns", Napi::Function::New(env, NameNetns, "nameNetns"));
  exports.Set("unnameNetns", Napi::Function::New(env, UnnameNetns, "unnameNetns"));
  exports.Set("setIntOption", Napi::Function::New(env, SetIntOptionJs, "setIntOption"));
  exports.Set("bindToDevice", Napi::Function::New(env, BindToDeviceJs, "bindToDevice"));
  exports.Set("bindAddress", Napi::Function::New(env, BindAddress, "bindAddress"));
  exports.Set("setMembership", Napi::Function::New(env, SetMembership, "setMembership"));
  exports.Set("sendIpv4", Napi::Function::New(env, SendIpv4, "sendIpv4"));
  exports.Set("SpliceRelay", SpliceRelay::Init(env));
  return exports;
}

}  // namespace netio

Napi::Object InitNetio(Napi::Env env, Napi::Object exports) { return netio::Init(env, exports); }

NODE_API_MODULE(netio, InitNetio)
