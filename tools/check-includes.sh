#!/bin/sh
# Include direction (STYLE.md 3.1): util <- core <- store <- svc <- api <- http <- daemon;
# analysis (pure) and interop (pure STIX mappings) sit beside store:
# util <- core <- analysis|interop <- svc, and interop may use analysis
# (the observable extractor, analysis/obs.h);
# cli uses util only.  The generated vocabulary (gen/vocab.h, build/gen/)
# sits between util and core: every layer but util may include it.  Each
# module may include only the public headers of the modules below it.
# Includes are written relative to src/ (-Isrc).
rc=0
allowed() {
	case $1 in
	util) echo "util" ;;
	core) echo "util core" ;;
	analysis) echo "util core analysis" ;;
	interop) echo "util core analysis interop" ;;
	store) echo "util core store" ;;
	svc) echo "util core analysis interop store svc" ;;
	api) echo "util core analysis interop store svc api" ;;
	http) echo "util core analysis interop store svc api http" ;;
	daemon) echo "util core analysis interop store svc api http daemon" ;;
	cli) echo "util cli" ;;
	esac
}
for f in $(find src -name '*.c' -o -name '*.h'); do
	mod=$(echo "$f" | cut -d/ -f2)
	ok=$(allowed "$mod")
	grep -oE '#include "[^"]+"' "$f" | sed 's/#include "//; s/"$//' | while read -r inc; do
		# includes are written relative to src/ (-Isrc): "store/store.h"
		case $inc in
		gen/vocab.h)	# generated (tools/gen-vocab): plain tables, any layer but util
			[ "$mod" != util ] && continue
			echo "check-includes: $f includes $inc (util is below the vocabulary)"; exit 1 ;;
		*/*) target=${inc%%/*} ;;
		*) echo "check-includes: $f includes \"$inc\" (write it relative to src/)"; exit 1 ;;
		esac
		[ -f "src/$inc" ] || { echo "check-includes: $f includes $inc (no src/$inc)"; exit 1; }
		case " $ok " in
		*" $target "*) ;;
		*) echo "check-includes: $f includes $inc (module $target not allowed for $mod)"; exit 1 ;;
		esac
	done || rc=1
done
exit $rc
