#!/bin/sh
# run-libfuzzer.sh TARGET [SECONDS]: build tests/fuzz/fuzz_TARGET.c with
# clang and libFuzzer (ASan+UBSan, the library instrumented for coverage)
# and fuzz it for SECONDS (default 30) from its corpus and dictionary.
#
# Run from anywhere; works in the repository root.  Environment:
#   FUZZ_BUILD   build directory (default /tmp/cishare-libfuzzer)
#   FUZZ_OUT     new inputs and crash artifacts (default $FUZZ_BUILD/out/TARGET)
#   FUZZ_ARGS    extra libFuzzer flags, e.g. "-jobs=4 -workers=4"
#   FUZZ_MODULES library modules to link (default "util core store")
# New interesting inputs go to $FUZZ_OUT/corpus, never into the checked-in
# tests/fuzz/corpus/ (copy the useful ones over by hand, minimised with
# -merge=1).  Prints libFuzzer's final stats; exits non-zero on a crash.
set -eu

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
	echo "usage: $0 TARGET [SECONDS]" >&2
	exit 2
fi
T=$1
SECS=${2:-30}
cd "$(dirname "$0")/../.."
[ -f "tests/fuzz/fuzz_$T.c" ] || { echo "$0: no tests/fuzz/fuzz_$T.c" >&2; exit 2; }
command -v clang >/dev/null 2>&1 || { echo "$0: clang not found" >&2; exit 2; }

B=${FUZZ_BUILD:-/tmp/cishare-libfuzzer}
OUT=${FUZZ_OUT:-$B/out/$T}
SAN=fuzzer-no-link,address,undefined

# Can clang link libFuzzer here (Debian: libclang-rt-NN-dev)?
probe=$(mktemp -d)
printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' \
    'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);' \
    'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }' \
    > "$probe/p.c"
if ! clang -fsanitize=fuzzer "$probe/p.c" -o "$probe/p" >/dev/null 2>&1; then
	rm -rf "$probe"
	echo "$0: clang cannot link -fsanitize=fuzzer; install libclang-rt-14-dev" >&2
	exit 2
fi
rm -rf "$probe"

# The library objects, coverage-instrumented, through the Makefile: its
# own LIB_OBJ list, narrowed to the modules the parsers live in (and the
# generated objects), so that a module being edited elsewhere does not
# stop the fuzzing of another.  FUZZ_MODULES widens it (e.g.
# "util core store http api" for targets that drive handlers).
# mkvar NAME: the value of a Makefile variable for this build.
mkvar() {
	# shellcheck disable=SC2016
	make -s --no-print-directory O="$B" CC=clang SAN="$SAN" \
	    --eval="print-var: ; @echo \$($1)" print-var
}
# A target whose layer (fuzz_T_LAYER in the Makefile) is http links up to it.
case $(mkvar "fuzz_${T}_LAYER") in
http) DEFMODS="util core analysis interop store svc api http" ;;
*) DEFMODS="util core analysis interop store" ;;
esac
MODULES=${FUZZ_MODULES:-$DEFMODS}
OBJS=
for o in $(mkvar LIB_OBJ); do
	rel=${o#"$B"/}
	mod=${rel#src/}
	mod=${mod%%/*}
	case $rel in
	gen/*) OBJS="$OBJS $o" ;;
	src/*) case " $MODULES " in *" $mod "*) OBJS="$OBJS $o" ;; esac ;;
	esac
done
[ -n "$OBJS" ] || { echo "$0: no library objects from the Makefile" >&2; exit 2; }
# shellcheck disable=SC2086
make -s O="$B" CC=clang SAN="$SAN" $OBJS

# Link with the Makefile's own flags and libraries, plus libFuzzer.
mkdir -p "$B/tests"
# shellcheck disable=SC2046,SC2086
clang $(mkvar CFLAGS) $(mkvar DEPCFLAGS) -fsanitize=fuzzer -DCS_LIBFUZZER \
    -o "$B/tests/fuzz_$T" "tests/fuzz/fuzz_$T.c" tests/fuzz/replay.c $OBJS \
    $(mkvar LIBS)

mkdir -p "$OUT/corpus" "$OUT/crashes"
DICT=
[ -f "tests/fuzz/$T.dict" ] && DICT="-dict=tests/fuzz/$T.dict"
echo "fuzzing $T for ${SECS}s; new inputs in $OUT/corpus, crashes in $OUT/crashes"
# shellcheck disable=SC2086
exec "$B/tests/fuzz_$T" -max_total_time="$SECS" -print_final_stats=1 \
    -timeout=10 -rss_limit_mb=4096 -max_len=65536 \
    -artifact_prefix="$OUT/crashes/" $DICT ${FUZZ_ARGS:-} \
    "$OUT/corpus" "tests/fuzz/corpus/$T"
