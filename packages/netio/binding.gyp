{
  "targets": [
    {
      "target_name": "netio",
      "sources": [
        "native/addon.cc",
        "native/errors.cc",
        "native/fd_watcher.cc",
        "native/lifeline.cc",
        "native/netns.cc",
        "native/packet_socket.cc",
        "native/raw_ipv4.cc",
        "native/sockopt.cc",
        "native/splice_direction.cc",
        "native/splice_relay.cc",
        "native/tap.cc",
        "native/udp.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": [
        "NAPI_VERSION=8",
        "NAPI_DISABLE_CPP_EXCEPTIONS",
        "NODE_ADDON_API_DISABLE_DEPRECATED",
        "NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS"
      ],
      "cflags_cc": ["-std=c++17", "-Wall", "-Wextra", "-Wno-missing-field-initializers"]
    }
  ]
}
