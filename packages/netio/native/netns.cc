#include "netns.h"

#include <fcntl.h>
#include <net/if.h>
#include <pthread.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <climits>

#include "sockopt.h"

namespace netio {

namespace {

SysResult JoinNetns(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return SysResult::Fail("open", errno);
  int rc = setns(fd, CLONE_NEWNET);
  int err = errno;
  close(fd);
  return rc == 0 ? SysResult{} : SysResult::Fail("setns", err);
}

struct NetnsTask {
  const std::string* netns;
  const std::function<SysResult()>* work;
  SysResult result;
};

void* RunNetnsTask(void* arg) {
  auto* task = static_cast<NetnsTask*>(arg);
  task->result = JoinNetns(*task->netns);
  if (task->result.ok()) task->result = (*task->work)();
  // The thread ends here, inside the target namespace: nothing to restore.
  return nullptr;
}

bool IsMainThread() { return syscall(SYS_gettid) == getpid(); }

// Bind mounts made under dir must propagate to other mount namespaces (iproute2's convention for /run/netns):
// make it a shared mount point, first binding it onto itself when it is not a mount point yet (EINVAL).
SysResult ShareMountPoint(const std::string& dir) {
  if (mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) return SysResult::Fail("mkdir", errno);
  if (mount("", dir.c_str(), "none", MS_SHARED | MS_REC, nullptr) == 0) return SysResult{};
  if (errno != EINVAL) return SysResult::Fail("mount", errno);
  if (mount(dir.c_str(), dir.c_str(), "none", MS_BIND | MS_REC, nullptr) != 0) return SysResult::Fail("mount", errno);
  if (mount("", dir.c_str(), "none", MS_SHARED | MS_REC, nullptr) != 0) return SysResult::Fail("mount", errno);
  return SysResult{};
}

SysResult BindNamespace(const std::string& source, const std::string& dir, const std::string& target) {
  SysResult shared = ShareMountPoint(dir);
  if (!shared.ok()) return shared;
  int fd = open(target.c_str(), O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
  if (fd < 0) return SysResult::Fail("open", errno);
  close(fd);
  if (mount(source.c_str(), target.c_str(), "none", MS_BIND, nullptr) == 0) return SysResult{};
  int err = errno;
  unlink(target.c_str());
  return SysResult::Fail("mount", err);
}

SysResult UnbindNamespace(const std::string& target) {
  // EINVAL: not a mount point (a file left by an interrupted bind); ENOENT: gone already.
  if (umount2(target.c_str(), MNT_DETACH) != 0 && errno != EINVAL && errno != ENOENT) {
    return SysResult::Fail("umount2", errno);
  }
  if (unlink(target.c_str()) != 0 && errno != ENOENT) return SysResult::Fail("unlink", errno);
  return SysResult{};
}

}  // namespace

SysResult RunInNetns(const std::string& netns, const std::function<SysResult()>& work) {
  if (netns.empty()) return work();
  NetnsTask task{&netns, &work, SysResult{}};
  pthread_t thread;
  int err = pthread_create(&thread, nullptr, RunNetnsTask, &task);
  if (err != 0) return SysResult::Fail("pthread_create", err);
  err = pthread_join(thread, nullptr);
  if (err != 0) return SysResult::Fail("pthread_join", err);
  return task.result;
}

Napi::Value SetnsCurrentThread(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string path;
  if (!ArgString(info, 0, "path", PATH_MAX, false, &path)) return Napi::Value();
  if (IsMainThread()) {
    Napi::Error error = Napi::Error::New(env, "setns: refusing to move the process's main thread");
    error.Set("code", Napi::String::New(env, "EPERM"));
    error.Set("syscall", Napi::String::New(env, "setns"));
    error.ThrowAsJavaScriptException();
    return Napi::Value();
  }
  if (!CheckSys(env, JoinNetns(path))) return Napi::Value();
  return env.Undefined();
}

Napi::Value OpenSocket(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string path;
  int64_t domain = 0, type = 0, protocol = 0;
  if (!ArgInt(info, 0, "domain", 0, 255, &domain) || !ArgInt(info, 1, "type", 0, INT32_MAX, &type) ||
      !ArgInt(info, 2, "protocol", 0, 65535, &protocol) || !ArgString(info, 3, "netns", PATH_MAX, true, &path)) {
    return Napi::Value();
  }
  int fd = -1;
  SysResult result = RunInNetns(path, [&]() {
    fd = socket(static_cast<int>(domain), static_cast<int>(type) | SOCK_CLOEXEC, static_cast<int>(protocol));
    return fd < 0 ? SysResult::Fail("socket", errno) : SysResult{};
  });
  if (!CheckSys(env, result)) return Napi::Value();
  return Napi::Number::New(env, fd);
}

Napi::Value InterfaceIndex(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  InterfaceRef ref;
  std::string netns;
  if (!ArgString(info, 0, "name", IFNAMSIZ - 1, false, &ref.name) ||
      !ArgString(info, 1, "netns", PATH_MAX, true, &netns)) {
    return Napi::Value();
  }
  int fd = -1;
  SysResult result = RunInNetns(netns, [&]() {
    fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    return fd < 0 ? SysResult::Fail("socket", errno) : SysResult{};
  });
  if (!CheckSys(env, result)) return Napi::Value();
  int index = 0;
  result = ResolveInterface(fd, ref, &index);
  close(fd);
  if (!CheckSys(env, result)) return Napi::Value();
  return Napi::Number::New(env, index);
}

Napi::Value NameNetns(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string source, target;
  if (!ArgString(info, 0, "source", PATH_MAX, false, &source) ||
      !ArgString(info, 1, "target", PATH_MAX, false, &target)) {
    return Napi::Value();
  }
  size_t slash = target.rfind('/');
  if (slash == std::string::npos || slash == 0) {
    ThrowArgument(env, "target must be a file in a directory below /");
    return Napi::Value();
  }
  if (!CheckSys(env, BindNamespace(source, target.substr(0, slash), target))) return Napi::Value();
  return env.Undefined();
}

Napi::Value UnnameNetns(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string target;
  if (!ArgString(info, 0, "target", PATH_MAX, false, &target)) return Napi::Value();
  if (!CheckSys(env, UnbindNamespace(target))) return Napi::Value();
  return env.Undefined();
}

}  // namespace netio
