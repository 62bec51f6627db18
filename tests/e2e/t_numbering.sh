#!/usr/bin/env bash
# R-numbers under concurrency: 8 ministries' liaisons forward 24 direct
# reports from 8 parallel processes, 8 operators file urgent reports in
# parallel, and racing double forwards of the same report: the R-numbers
# must be exactly 1..N with no gap and no duplicate, each series numbered
# once.
. "$(dirname "$0")/lib.sh"
start_server

SECTORS=(finance electricity gas railway aviation medical water logistics)
NISC=$(mkorg "E2E NISC" nisc '[]')
T_NISC=$(principal "$NISC" nisc-analyst analyst)
declare -a T_LIA T_OPR
sector_parties E2E "" "${SECTORS[@]}"

# 3 direct reports per sector, 24 in all
declare -a REPS
for i in "${!SECTORS[@]}"; do
	for k in 1 2 3; do
		REPS[$((i * 3 + k - 1))]=$(submit "${T_OPR[$i]}" direct "$(mkform amber "${SECTORS[$i]}")")
	done
done
eq "24 direct reports filed" "$(printf '%s\n' "${REPS[@]}" | grep -c '^[1-9][0-9]*$')" 24

# 8 processes, one per ministry, each forwarding its 3 reports
for i in "${!SECTORS[@]}"; do
	(
		for k in 0 1 2; do
			id=${REPS[$((i * 3 + k))]}
			api POST "/reports/$id/forward" "" "${T_LIA[$i]}"
			echo "$id $STATUS $(jqv '.identification_number // "none"')" >>"$WORK/fwd.txt"
		done
	) &
done
wait_jobs
forwards_numbered "$WORK/fwd.txt" 24

# NISC reads the same numbers back
: >"$WORK/nisc.txt"
for id in "${REPS[@]}"; do
	api GET "/reports/$id" "" "$T_NISC"
	echo "$id $STATUS $(jqv .identification_number) $(jqv '.versions[0].identification_number') $(jqv '.versions[0].form.identification_number')" >>"$WORK/nisc.txt"
done
eq "NISC reads all 24" "$(awk '$2 == 200' "$WORK/nisc.txt" | wc -l)" 24
eq "each report's R-number is the one its forward answered" \
    "$(awk '{print $1, $3}' "$WORK/nisc.txt" | sort)" "$(awk '{print $1, $3}' "$WORK/fwd.txt" | sort)"
eq "version 1 identification number and form agree with the series" \
    "$(awk '$3 != $4 || $3 != $5' "$WORK/nisc.txt" | wc -l)" 0

# urgent reports filed concurrently take R25..R40
: >"$WORK/urg.txt"
for i in "${!SECTORS[@]}"; do
	(
		for k in 1 2; do
			body=$(jq -nc --argjson f "$(mkform red "${SECTORS[$i]}")" '{route: "urgent", legal_duty: true, form: $f}')
			api POST /reports "$body" "${T_OPR[$i]}"
			echo "$(jqv .id) $STATUS $(jqv '.identification_number // "none"')" >>"$WORK/urg.txt"
		done
	) &
done
wait_jobs
eq "16 concurrent urgent reports -> 201" "$(awk '$2 == 201' "$WORK/urg.txt" | wc -l)" 16
eq "urgent reports take R25..R40, each once" \
    "$(awk '{print $3}' "$WORK/urg.txt" | sort -V | paste -sd,)" "$(seq -f 'R%g' 25 40 | paste -sd,)"

# racing double forwards: 4 reports, each forwarded by two requests at once
race_forwards "$URL" "$URL"
for k in 0 1 2 3; do
	eq "race on report ${RACE[$k]}: one forward 200 and one 409" \
	    "$(awk -v id="${RACE[$k]}" '$1 == id {print $2}' "$WORK/race.txt" | sort | paste -sd,)" "200,409"
done
eq "racing forwards numbered R41..R44, each once" \
    "$(awk '$2 == 200 {print $3}' "$WORK/race.txt" | sort -V | paste -sd,)" "$(seq -f 'R%g' 41 44 | paste -sd,)"

# the whole set as NISC lists it: R1..R44, no gap, no duplicate
api GET "/reports?limit=500" "" "$T_NISC"
expect_status 200 "NISC lists its reports"
eq "NISC's list holds 44 numbered series R1..R44" \
    "$(jqv '[.items[].identification_number] | map(select(. != null)) | .[]' | sort -V | paste -sd,)" \
    "$(seq -f 'R%g' 1 44 | paste -sd,)"
eq "the r_number column is 1..44 without gaps or duplicates" \
    "$(db_sql 'SELECT r_number FROM reports WHERE r_number IS NOT NULL ORDER BY r_number' | paste -sd,)" \
    "$(seq 1 44 | paste -sd,)"

# 6 follow-ups to one report at once: versions 2..7, each once
F=${REPS[0]}
: >"$WORK/fu.txt"
for k in 1 2 3 4 5 6; do
	(
		api POST "/reports/$F/followups" "$(jq -nc --argjson f "$(mkform amber finance)" '{form: $f}')" "${T_OPR[0]}"
		echo "$STATUS $(jqv .version)" >>"$WORK/fu.txt"
	) &
done
wait_jobs
eq "6 concurrent follow-ups -> 201 with versions 2..7, each once" \
    "$(sort -k2n "$WORK/fu.txt" | paste -sd,)" "$(seq -f '201 %g' 2 7 | paste -sd,)"
api POST "/reports/$F/forward" "" "${T_LIA[0]}"
eq "forwarding them carries versions 2..7" "$(jqv '.forwarded_versions | join(",")')" "2,3,4,5,6,7"
api GET "/reports/$F" "" "$T_NISC"
eq "their identification numbers are R<n>-2..R<n>-7" \
    "$(jqv '[.versions[1:][].identification_number] | join(",")')" \
    "$(R=$(jqv .identification_number); seq -f "$R-%g" 2 7 | paste -sd,)"

# default page size is 50 (API.md Conventions)
for k in 1 2 3 4 5 6 7 8; do
	submit "${T_OPR[1]}" urgent "$(mkform red electricity)" >/dev/null
done
api GET /reports "" "$T_NISC"
eq "GET /reports without limit returns 50 items" "$(jqv '.items | length')" 50
C1=$(jqv '.next_cursor // empty')
ok "and a next_cursor" '[ -n "$C1" ]'
api GET "/reports?cursor=$C1" "" "$T_NISC"
eq "the second page holds the remaining 2" "$(jqv '.items | length')" 2
eq "the last page's next_cursor is null" "$(jqv .next_cursor)" null
