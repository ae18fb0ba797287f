#!/usr/bin/env bash
# Runs every native path of the addon under valgrind memcheck (scripts/memcheck-workload.js) and fails on any
# invalid access, use of uninitialised memory or definite leak. Needs root: the workload runs in a private
# network namespace (unshare --net), so the links and TAP devices it makes vanish with it and nothing touches
# the host's own namespace. Takes about 20 s.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ ! -f build/Release/netio.node ]]; then
  echo "memcheck: build the addon first (npm ci, or npx node-gyp rebuild --nodedir=/usr)" >&2
  exit 2
fi
../../node_modules/.bin/tsc -b .

exec unshare --net -- valgrind --tool=memcheck --error-exitcode=99 --smc-check=all-non-file \
  --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite \
  --suppressions=scripts/v8-stack-scan.supp \
  node --expose-gc scripts/memcheck-workload.js
