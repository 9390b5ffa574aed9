#!/usr/bin/env bash
# scripts/golden/modinfo.sh - write what GNU readelf and kmod's modinfo read of every sample module's
# .modinfo and signature, for ObjectInspector's test (tests/unit/object-inspector.test.ts).
#
#   scripts/golden/modinfo.sh
#
# For each .ko under public/samples/ (variants included) that readelf reads cleanly, writes
# tests/golden/modinfo/<path under public/samples>.txt: `readelf -p .modinfo` (the strings and their
# offsets), then the signature fields kmod's modinfo prints (sig_id, signer, sig_hashalgo), empty
# for an unsigned file. Review changes to these listings as diffs.
set -euo pipefail
export LC_ALL=C

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
golden="$repo/tests/golden/modinfo"
samples="$repo/public/samples"

rm -rf "$golden"
count=0
while IFS= read -r -d '' object; do
  [ "$(head -c 4 "$object" | od -An -tx1 | tr -d ' \n')" = 7f454c46 ] || continue
  out="$golden/${object#"$samples"/}.txt"
  mkdir -p "$(dirname "$out")"
  err=$(mktemp)
  if readelf -W -p .modinfo "$object" > "$out.tmp" 2> "$err" && [ ! -s "$err" ]; then
    {
      cat "$out.tmp"
      echo "kmod modinfo:"
      for field in sig_id signer sig_hashalgo; do
        printf '%s: %s\n' "$field" "$(/usr/sbin/modinfo -F "$field" "$object" 2>/dev/null || true)"
      done
    } > "$out"
    count=$((count + 1))
  fi
  rm -f "$out.tmp" "$err"
done < <(find "$samples" -type f -name '*.ko' -print0 | sort -z)
echo "modinfo.sh: wrote $count listings to tests/golden/modinfo/ ($(readelf --version | head -1); $(/usr/sbin/modinfo --version | head -1))"
