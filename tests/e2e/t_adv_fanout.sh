#!/usr/bin/env bash
# Fan-out: 1,000 operators in one sector; NISC issues an urgent GREEN
# advisory to it, which delivers to every operator (and the ministry in
# copy) inside the POST's transaction.  Prints the measured time (never
# asserted); asserts that every operator was delivered to and that a random
# sample of 20 operators has it in GET /inbox and can read it.
. "$(dirname "$0")/lib.sh"
start_server

N=1000
SECTOR=water
ref_orgs NISC=nisc MIN=ci_ministry:$SECTOR
ok "init created NISC and the ministry for $SECTOR" '[ "${NISC:-0}" -gt 0 ] && [ "${MIN:-0}" -gt 0 ]'
T_NISC=$(fast_principal "$NISC" fo-nisc analyst)
T_MIN=$(fast_principal "$MIN" fo-min liaison)

# ---- 1,000 operators over one keep-alive connection (a curl config file) ----
{
	for i in $(seq 1 "$N"); do
		printf 'url = "%s/orgs"\nheader = "Authorization: Bearer %s"\nheader = "Content-Type: application/json"\n' "$URL" "$ADMIN"
		printf 'data = "{\\"name\\":\\"FO 水道事業者 %04d\\",\\"type\\":\\"ci_operator\\",\\"sectors\\":[\\"%s\\"]}"\n' "$i" "$SECTOR"
		printf 'write-out = "\\n"\n'
		[ "$i" -lt "$N" ] && printf 'next\n'
	done
} >"$WORK/orgs.curl"
t0=$(date +%s%N)
curl -s --max-time 120 -K "$WORK/orgs.curl" >"$WORK/orgs.out" 2>"$WORK/orgs.err"
t1=$(date +%s%N)
printf "setup: %d x POST /orgs over one connection: %d ms\n" "$N" "$(( (t1 - t0) / 1000000 ))" >&3
mapfile -t OPS < <(grep -o '"id":[0-9]*' "$WORK/orgs.out" | cut -d: -f2)
eq "setup: $N operators created (one keep-alive connection)" "${#OPS[@]}" "$N"

# a random sample of 20, each with a member and a token
mapfile -t SAMPLE < <(printf '%s\n' "${OPS[@]}" | shuf -n 20)
declare -A TOK
for o in "${SAMPLE[@]}"; do TOK[$o]=$(fast_principal "$o" "fo-op-$o" member); done
eq "setup: 20 sampled operators with a token" "$(printf '%s\n' "${TOK[@]}" | grep -c '^cs')" 20

# ---- the fan-out ----
FORM=$(mkadv green ".recipients = [{sector: \"$SECTOR\"}] | .threat_content.summary = \"fan-out $N\"")
printf '{"urgent":true,"form":%s}' "$FORM" >"$WORK/adv.json"
W=$(curl -s --max-time 120 -o "$WORK/adv.out" -w '%{http_code} %{time_total}' -X POST \
    -H "Authorization: Bearer $T_NISC" -H 'Content-Type: application/json' \
    --data-binary "@$WORK/adv.json" "$URL/advisories")
STATUS=${W%% *}; BODY=$(cat "$WORK/adv.out"); LAST="POST /advisories (urgent GREEN to $N operators)"
expect_status 201 "urgent GREEN advisory to $N operators -> 201"
ADV=$(jqv .id)
MS=$(awk -v t="${W##* }" 'BEGIN {printf "%.0f", t * 1000}')
printf 'fan-out to %d operators: %s ms\n' "$N" "$MS" >&3

# every inbox of the sample has it, at once (deliveries are part of the POST)
missing=0
for o in "${SAMPLE[@]}"; do
	api GET "/inbox?limit=50" "" "${TOK[$o]}"
	[[ $BODY =~ \{\"id\":$ADV[,}] ]] || missing=$((missing + 1))
done
eq "all 20 sampled operators have the advisory in GET /inbox" "$missing" 0
o=${SAMPLE[0]}
api GET "/advisories/$ADV" "" "${TOK[$o]}"
eq "a sampled operator reads it (via urgent)" "$STATUS $(jqv '.form.threat_content.summary')" "200 fan-out $N"

W=$(curl -s --max-time 120 -o "$WORK/get.out" -w '%{http_code} %{time_total}' \
    -H "Authorization: Bearer $T_NISC" "$URL/advisories/$ADV")
STATUS=${W%% *}; BODY=$(cat "$WORK/get.out"); LAST="GET /advisories/$ADV (NISC)"
expect_status 200 "NISC reads the delivery record"
printf 'NISC delivery record of %d hops: %s ms\n' "$((N + 1))" "$(awk -v t="${W##* }" 'BEGIN {printf "%.0f", t * 1000}')" >&3
eq "NISC: $N operators via urgent + the ministry via copy, nothing else" \
    "$(jqv '[.delivery.hops[] | .via] | group_by(.) | map("\(.[0])=\(length)") | join(" ")')" "copy=1 urgent=$N"
eq "NISC: the urgent hops are exactly the $N operators" \
    "$(jqv '[.delivery.hops[] | select(.via == "urgent") | .org] | sort | join(",")')" "$(printf '%s\n' "${OPS[@]}" | sort -n | paste -sd,)"
eq "NISC: summary delivered $((N + 1)), $((N + 1)) unacknowledged" \
    "$(jqv '"\(.delivery.summary.delivered) \(.delivery.unacknowledged | length)"')" "$((N + 1)) $((N + 1))"
api GET "/advisories/$ADV" "" "$T_MIN"
expect_status 200 "the ministry (copy) reads it"
