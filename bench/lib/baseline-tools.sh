# Sourced by the benchmark scripts: makes sure the baselines' tools are there (python3-pandas from
# Debian, /usr/bin/time for peak memory), installing pandas when missing. Expects PY and TIME set.
ensure_baseline_tools() {
  if ! "$PY" -c "import pandas" 2>/dev/null; then
    echo "installing python3-pandas (Debian) for the baseline…" >&2
    (apt-get install -y python3-pandas >/dev/null 2>&1 || sudo apt-get install -y python3-pandas >/dev/null 2>&1 ||
      (apt-get update >/dev/null 2>&1 && apt-get install -y python3-pandas >/dev/null 2>&1)) || {
      echo "python3-pandas is missing and could not be installed: apt-get install python3-pandas" >&2
      exit 1
    }
  fi
  [ -x "$TIME" ] || { echo "/usr/bin/time is missing: apt-get install time" >&2; exit 1; }
}
