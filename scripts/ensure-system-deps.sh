#!/usr/bin/env bash
# Installs the Debian packages the test suite drives for real, when missing.
# Only as root (CI and the project's machines); otherwise says what is missing.
set -euo pipefail
declare -A need=(
  [/usr/bin/chromium]=chromium
  [/usr/bin/redis-server]=redis-server
)
missing=()
for path in "${!need[@]}"; do
  [ -x "$path" ] || missing+=("${need[$path]}")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "Thiếu gói hệ thống: ${missing[*]} (cài bằng: sudo apt-get install ${missing[*]})" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
