# Shared helpers for the project's scripts. Source it; do not run it.

require_dotnet() {
  if ! command -v dotnet >/dev/null 2>&1; then
    echo "error: the .NET 10 SDK (dotnet) is required and was not found on PATH" >&2
    exit 1
  fi
}

# The machine has two cores: every dotnet build/test/publish takes one machine-wide lock.
# -o: the command does not inherit the lock's descriptor, so task processes a test leaves behind
# (shims outlive agents by design) can never hold the lock after the command ends.
with_build_lock() {
  flock -o /tmp/nomad-build.lock "$@"
}

# apt-get install the named Debian packages that are missing (as root; `apt-get update` once).
apt_install_missing() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ]; then echo "warning: not root; cannot install ${missing[*]}" >&2; return 0; fi
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}
