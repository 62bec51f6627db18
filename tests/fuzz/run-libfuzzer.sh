#!/bin/sh
# run-libfuzzer.sh TARGET [SECONDS]: build tests/fuzz/fuzz_TARGET.c with
# clang and libFuzzer (ASan+UBSan, the library instrumented for coverage)
# and fuzz it for SECONDS (default 30) from its corpus and dictionary.
# run-libfuzzer.sh --objects: only build the instrumented objects every
# target links (make fuzz does this once, before running targets in
# parallel, so that two runs never build the same object at once).
#
# Run from anywhere; works in the repository root.  Environment:
#   FUZZ_BUILD   build directory (default /tmp/cishare-libfuzzer)
#   FUZZ_OUT     new inputs and crash artifacts (default $FUZZ_BUILD/out/TARGET)
#   FUZZ_ARGS    extra libFuzzer flags, e.g. "-jobs=4 -workers=4"
#   FUZZ_MODULES library modules to link (default "util core analysis
#                interop store", all of them for an http-layer target)
#   FUZZ_PREBUILT=1  the objects are built already (--objects): link only
#   FUZZ_QUIET=1 libFuzzer's output goes to $FUZZ_OUT/fuzz.log; printed
#                are one line and the final stats, or the log's end on a
#                crash (what make fuzz shows, two targets at a time)
# New interesting inputs go to $FUZZ_OUT/corpus, never into the checked-in
# tests/fuzz/corpus/ (copy the useful ones over by hand, minimised with
# -merge=1).  Prints libFuzzer's final stats; exits non-zero on a crash.
# The CLI's targets (cli_*) link the cli objects and util, with the CLI's
# libraries.
set -eu

OBJECTS_ONLY=
if [ "${1:-}" = --objects ]; then
	OBJECTS_ONLY=1
	set -- objects
elif [ $# -lt 1 ] || [ $# -gt 2 ]; then
	echo "usage: $0 TARGET [SECONDS] | $0 --objects" >&2
	exit 2
fi
T=$1
SECS=${2:-30}
cd "$(dirname "$0")/../.."
[ -n "$OBJECTS_ONLY" ] || [ -f "tests/fuzz/fuzz_$T.c" ] ||
    { echo "$0: no tests/fuzz/fuzz_$T.c" >&2; exit 2; }
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
# mkvar NAME: the value of a Makefile variable for this build (a make of
# its own: nothing of a calling make's flags or variables).
mkvar() {
	# shellcheck disable=SC2016
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
	    make -s --no-print-directory O="$B" CC=clang SAN="$SAN" \
	    --eval="print-var: ; @echo \$($1)" print-var
}
# lib_objs MODULES: the library objects of those modules, and the generated.
lib_objs() {
	for o in $(mkvar LIB_OBJ); do
		rel=${o#"$B"/}
		mod=${rel#src/}
		mod=${mod%%/*}
		case $rel in
		gen/*) echo "$o" ;;
		src/*) case " $1 " in *" $mod "*) echo "$o" ;; esac ;;
		esac
	done
}
# cli_objs: the CLI's objects but its main (src/cli/cishare.c).
cli_objs() {
	for c in $(mkvar CLI_SRC); do
		[ "$c" = src/cli/cishare.c ] || echo "$B/${c%.c}.o"
	done
}
ALLMODS="util core analysis interop store svc api http"
if [ -n "$OBJECTS_ONLY" ]; then
	OBJS="$(lib_objs "${FUZZ_MODULES:-$ALLMODS}") $(cli_objs)"
	LINKLIBS=
else
	case $T in
	cli_*)
		# the CLI's parsers: its objects, util and the vocabulary
		OBJS="$(cli_objs) $(lib_objs util | grep -v gen/refdata.o |
		    grep -v gen/webfiles.o)"
		LINKLIBS="$(mkvar CLILIBS) -lpthread"
		;;
	*)
		# A target whose layer (fuzz_T_LAYER in the Makefile) is http
		# links up to it.
		case $(mkvar "fuzz_${T}_LAYER") in
		http) DEFMODS=$ALLMODS ;;
		*) DEFMODS="util core analysis interop store" ;;
		esac
		OBJS=$(lib_objs "${FUZZ_MODULES:-$DEFMODS}")
		LINKLIBS=$(mkvar LIBS)
		;;
	esac
fi
[ -n "$OBJS" ] || { echo "$0: no library objects from the Makefile" >&2; exit 2; }
if [ -z "${FUZZ_PREBUILT:-}" ]; then
	# shellcheck disable=SC2086
	make -s O="$B" CC=clang SAN="$SAN" $OBJS
fi
[ -z "$OBJECTS_ONLY" ] || exit 0

# Link with the Makefile's own flags and libraries, plus libFuzzer.
mkdir -p "$B/tests"
# shellcheck disable=SC2046,SC2086
clang $(mkvar CFLAGS) $(mkvar DEPCFLAGS) -fsanitize=fuzzer -DCS_LIBFUZZER \
    -o "$B/tests/fuzz_$T" "tests/fuzz/fuzz_$T.c" tests/fuzz/replay.c $OBJS \
    $LINKLIBS

mkdir -p "$OUT/corpus" "$OUT/crashes"
DICT=
[ -f "tests/fuzz/$T.dict" ] && DICT="-dict=tests/fuzz/$T.dict"
if [ -z "${FUZZ_QUIET:-}" ]; then
	echo "fuzzing $T for ${SECS}s; new inputs in $OUT/corpus, crashes in $OUT/crashes"
	# shellcheck disable=SC2086
	exec "$B/tests/fuzz_$T" -max_total_time="$SECS" -print_final_stats=1 \
	    -timeout=10 -rss_limit_mb=4096 -max_len=65536 \
	    -artifact_prefix="$OUT/crashes/" $DICT ${FUZZ_ARGS:-} \
	    "$OUT/corpus" "tests/fuzz/corpus/$T"
fi
# Quiet: the log apart, then one line, the final stats, or the crash.
rc=0
# shellcheck disable=SC2086
"$B/tests/fuzz_$T" -max_total_time="$SECS" -print_final_stats=1 \
    -timeout=10 -rss_limit_mb=4096 -max_len=65536 \
    -artifact_prefix="$OUT/crashes/" $DICT ${FUZZ_ARGS:-} \
    "$OUT/corpus" "tests/fuzz/corpus/$T" >"$OUT/fuzz.log" 2>&1 || rc=$?
if [ $rc -eq 0 ]; then
	{
		echo "== fuzz $T: $(grep -E '^Done [0-9]+ runs' "$OUT/fuzz.log" | tail -1)" \
		    "(cov $(grep -oE 'cov: [0-9]+' "$OUT/fuzz.log" | tail -1 | cut -d' ' -f2)," \
		    "corpus $(grep -oE 'corp: [0-9]+' "$OUT/fuzz.log" | tail -1 | cut -d' ' -f2))"
		grep '^stat::' "$OUT/fuzz.log" | sed 's/^/   /'
	}
else
	{
		echo "== fuzz $T: FAILED (exit $rc); the end of $OUT/fuzz.log:"
		tail -40 "$OUT/fuzz.log"
		echo "   crash inputs in $OUT/crashes:"
		find "$OUT/crashes" -type f | sed 's/^/   /'
	}
fi
exit $rc
