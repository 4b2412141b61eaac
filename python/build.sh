#!/usr/bin/env bash
# Builds the nanobroker Python module (C++20, PyBind11) in place for Debian's /usr/bin/python3:
#   python/nanobroker/_ring<suffix>.so, next to python/nanobroker/__init__.py.
# Then: PYTHONPATH=python /usr/bin/python3 -c 'import nanobroker'
# With --install it also puts python/ on /usr/bin/python3's path for this user (a .pth file in the
# user site-packages), so 'import nanobroker' works from anywhere without PYTHONPATH.
# Needs: apt-get install python3-dev pybind11-dev python3-numpy python3-pytest
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
py=/usr/bin/python3
[ -x "$py" ] || { echo "build.sh: needs Debian's $py" >&2; exit 1; }
[ -f /usr/include/pybind11/pybind11.h ] || { echo "build.sh: needs pybind11-dev (apt-get install pybind11-dev)" >&2; exit 1; }
command -v python3-config >/dev/null 2>&1 || [ -x /usr/bin/python3-config ] \
  || { echo "build.sh: needs python3-dev (apt-get install python3-dev)" >&2; exit 1; }
out="$here/nanobroker/_ring$(/usr/bin/python3-config --extension-suffix)"
# -fvisibility=hidden: PyBind11's advice for modules; -Wall -Wextra: keep it clean.
c++ -O2 -std=c++20 -shared -fPIC -fvisibility=hidden -Wall -Wextra \
    $(/usr/bin/python3-config --includes) -I/usr/include \
    "$here/src/module.cpp" -o "$out.tmp"
mv "$out.tmp" "$out"
echo "built $out"
if [ "${1:-}" = --install ]; then
  site=$("$py" -m site --user-site)
  mkdir -p "$site"
  printf '%s\n' "$here" > "$site/nanobroker.pth"
  echo "installed: $site/nanobroker.pth -> $here"
fi
