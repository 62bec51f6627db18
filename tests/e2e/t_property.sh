#!/usr/bin/env bash
# The leak-proof property test (issue 16 item 2), seed-fixed and small for
# make check: tests/prop/prop.py generates a population and a history through
# this daemon's API and checks every read path for every principal against
# its own oracle (tests/prop/README.md, docs/policy.md "The property test").
# Each of its failures is one FAIL line here; its check count one PASS.
# The bench run (>= 1,000,000 checks) is `make prop-bench`.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || { fail "python3 is installed" "apt-get install python3"; exit 1; }
start_server

out=$WORK/prop.out
python3 "$E2E_DIR/../prop/prop.py" --url "$URL" --admin-token "$ADMIN" \
    --seed "${PROP_SEED:-16}" --operators 8 --reports 30 --advisories 12 \
    --more-reports 8 --more-advisories 4 --max-rounds 3 >"$out" 2>"$WORK/prop.err"
rc=$?
cp "$out" "$WORK/prop.log"
while IFS= read -r line; do
	case $line in
	FAIL:*) fail "${line#FAIL: }" "tests/prop/prop.py seed ${PROP_SEED:-16}" ;;
	esac
done <"$out"
checks=$(sed -n 's/^\([0-9]*\) (principal, item, path) checks.*/\1/p' "$out")
summary=$(tail -1 "$out")
ok "property test, seed ${PROP_SEED:-16}: ${checks:-0} (principal, item, path) checks ($summary)" \
    '[ "$rc" == 0 ] && [ "${checks:-0}" -ge 10000 ]'
[ "$rc" == 0 ] || tail -5 "$WORK/prop.err" >&2
sed -n '/^population\|^history\|^round\|^oracle\|checks,/p' "$out" >&3
