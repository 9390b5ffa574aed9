#!/bin/sh
# Regenerates tests/golden/decode/corpus.objdump.txt, the listing the decoder's golden test reads,
# from the hand-written corpus tests/golden/decode/corpus.s, with GNU as and objdump (binutils 2.40:
# another version may spell some instructions differently; set RING0_ANY_BINUTILS=1 to accept it).
# The object file is made in a temporary directory and not kept. Tests never run this script.
set -eu
cd "$(dirname "$0")/../.."
dir=tests/golden/decode

version=$(objdump --version | head -n 1)
case "$version" in
  *" 2.40"*) ;;
  *) if [ "${RING0_ANY_BINUTILS:-}" != 1 ]; then
       echo "decode-corpus.sh: expected GNU objdump 2.40, found: $version" >&2
       exit 1
     fi ;;
esac

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
as --64 -o "$tmp/corpus.o" "$dir/corpus.s"
(cd "$tmp" && LC_ALL=C TZ=UTC objdump -d -M intel -w corpus.o) > "$dir/corpus.objdump.txt"
echo "wrote $dir/corpus.objdump.txt ($(grep -c '^ *[0-9a-f]*:	' "$dir/corpus.objdump.txt") instructions)"
