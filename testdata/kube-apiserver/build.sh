#!/usr/bin/env bash
# Builds kube-apiserver and etcd for trustpath's integration tests from the Go
# module proxy (no Docker, no binary download) into a cache directory outside
# the work tree, so a second run — or CI on the same machine — reuses them.
#
#   testdata/kube-apiserver/build.sh [DIR]
#
# DIR defaults to $TRUSTPATH_TESTBIN, else ${XDG_CACHE_HOME:-~/.cache}/trustpath/kube-apiserver-v1.37.2,
# the same place the integration test looks. A stamp of this module's inputs
# skips the build when nothing changed. Cold: ~6 minutes and ~3 GB of Go build
# cache on 2 cores; with a warm Go build cache, seconds.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dir="${1:-${TRUSTPATH_TESTBIN:-${XDG_CACHE_HOME:-$HOME/.cache}/trustpath/kube-apiserver-v1.37.2}}"
mkdir -p "$dir"
stamp="$(cat "$here/go.mod" "$here/go.sum" "$here/cmd/kube-apiserver/main.go" "$here/build.sh" | sha256sum | cut -d' ' -f1)"
if [ -x "$dir/kube-apiserver" ] && [ -x "$dir/etcd" ] && [ "$(cat "$dir/stamp" 2>/dev/null)" = "$stamp" ]; then
	echo "kube-apiserver and etcd are up to date in $dir"
	exit 0
fi
cd "$here"
start=$SECONDS
# GOFLAGS=-mod=mod is not needed: go.sum is complete. -trimpath keeps absolute
# paths of this machine out of the binaries.
go build -trimpath -o "$dir/etcd.tmp" go.etcd.io/etcd/server/v3
go build -trimpath -o "$dir/kube-apiserver.tmp" ./cmd/kube-apiserver
mv "$dir/etcd.tmp" "$dir/etcd"
mv "$dir/kube-apiserver.tmp" "$dir/kube-apiserver"
echo "$stamp" > "$dir/stamp"
echo "built kube-apiserver and etcd in $dir in $((SECONDS - start))s"
