#!/bin/sh
# Installs the Debian packages a make target needs, once. As root it runs apt-get; otherwise it prints the
# exact command to run and fails, so that no step silently runs without its tools.
set -eu
missing=""
for pkg in "$@"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $pkg"
  fi
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = "0" ]; then
  echo "installing Debian packages:$missing"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
else
  echo "missing Debian packages; run:  sudo apt-get update && sudo apt-get install -y$missing" >&2
  exit 1
fi
