#!/bin/sh
# Regenerates tests/golden/objdump/<name>.txt, the `objdump -d -M intel -w` listing of every
# executable section of every ELF object committed under public/samples/ (the .ko drivers, the
# static user programs and the ring-0 fixture), for the decoder's golden test. A file in a
# subdirectory keeps its path: public/samples/fixture/ring0.elf → tests/golden/objdump/fixture/ring0.elf.txt.
# Needs GNU objdump 2.40 (set RING0_ANY_BINUTILS=1 to accept another version). Tests never run it.
set -eu
cd "$(dirname "$0")/../.."
samples=public/samples
out=tests/golden/objdump

version=$(objdump --version | head -n 1)
case "$version" in
  *" 2.40"*) ;;
  *) if [ "${RING0_ANY_BINUTILS:-}" != 1 ]; then
       echo "objdump.sh: expected GNU objdump 2.40, found: $version" >&2
       exit 1
     fi ;;
esac

rm -f "$out"/*.txt "$out"/*/*.txt
count=0
# variants/ holds deliberately damaged copies of samples (the loader's failure cases): not listed.
for file in $(cd "$samples" && find . -type f -not -path './variants/*' | sed 's|^\./||' | LC_ALL=C sort); do
  # ELF files only: the magic number 7f 45 4c 46.
  [ "$(head -c 4 "$samples/$file" | od -An -tx1 | tr -d ' \n')" = 7f454c46 ] || continue
  mkdir -p "$out/$(dirname "$file")"
  (cd "$samples/$(dirname "$file")" && LC_ALL=C TZ=UTC objdump -d -M intel -w "$(basename "$file")") > "$out/$file.txt"
  count=$((count + 1))
done
echo "wrote $count listings to $out"
