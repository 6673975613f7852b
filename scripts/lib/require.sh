# Sourced by the scripts: `require COMMAND PACKAGE WHY [HINT]` makes sure COMMAND is on the
# PATH, installing Debian's PACKAGE when it can (root with apt-get), and otherwise stops with
# how to install it. WHY says what needs it; HINT replaces the default install advice.
require() {
  local command=$1 package=$2 why=$3
  local hint=${4:-"Debian/Ubuntu: sudo apt-get install $package"}
  command -v "$command" >/dev/null 2>&1 && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "== installing $package ($why)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null
  else
    echo "$command is missing: install it ($hint)" >&2
    exit 1
  fi
}
