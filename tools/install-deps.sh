#!/usr/bin/env bash
# Installs the Debian packages xorscape needs, if any is missing. Used by test.sh and reproduce.sh.
set -euo pipefail
packages=(cmake g++ make pkg-config libboost-program-options-dev libhdf5-dev hdf5-tools catch2 libeigen3-dev
          libopenmpi-dev openmpi-bin
          gnuplot-nox python3-h5py python3-numpy python3-matplotlib python3-xarray python3-h5netcdf)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
