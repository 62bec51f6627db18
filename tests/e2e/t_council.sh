#!/usr/bin/env bash
# The CEPTOAR council space (issue 13, item 2; API.md "Operating modes",
# Council; 行動計画 IV 5.1: the council is the CEPTOARs' own, no government
# body is superior to it): an admin sets membership (CEPTOAR secretariats
# only); a member posts to all members or to some, with a TLP; a member not
# addressed, a non-member CEPTOAR and every government organisation read a
# post only when its author shares it; invisible posts are the same 404 as
# missing ones; everything is audited.
. "$(dirname "$0")/lib.sh"
start_server

orgs "C " <<'EOF2'
NISC	nisc			[]			-	NISC
FSA	ci_ministry		["finance"]		-	金融庁
C1	ceptoar_secretariat	["finance"]		-	銀行等セプター
C2	ceptoar_secretariat	["electricity"]		-	電力セプター
C3	ceptoar_secretariat	["railway"]		-	鉄道セプター
C4	ceptoar_secretariat	["gas"]			-	ガスセプター
B1	ci_operator		["finance"]		-	みなと銀行
EOF2
tokens <<'EOF2'
T_NISC	NISC	c-nisc	analyst
T_FSA	FSA	c-fsa	liaison
T_C1	C1	c-c1	poc
T_C2	C2	c-c2	poc
T_C3	C3	c-c3	member
T_C4	C4	c-c4	poc
T_B1	B1	c-b1	member
EOF2

for o in C1 C2 C3; do
	api PATCH "/orgs/${!o}" '{"council_member": true}' "$ADMIN"
	expect_status 200 "the admin makes ${o} a council member"
done
eq "membership is shown on the organisation" "$(jqv .council_member)" true
api PATCH "/orgs/$B1" '{"council_member": true}' "$ADMIN"
expect_error council_member 400 "an operator cannot be a council member"
api PATCH "/orgs/$C1" '{"council_member": "yes"}' "$ADMIN"
expect_error council_member 400 "council_member must be a boolean"

api POST /council/posts '{"text": "訓練の日程案", "tlp": "amber", "to": "all"}' "$T_C4"
expect_error "" 403 "a CEPTOAR that is not a member cannot post"
api POST /council/posts '{"text": "x", "tlp": "amber", "to": "all"}' "$T_B1"
expect_error "" 403 "an operator cannot post"
api POST /council/posts "{\"text\": \"x\", \"tlp\": \"amber\", \"to\": [$C4]}" "$T_C1"
expect_error to.0 400 "addressing a non-member -> 400 to.0"
api POST /council/posts '{"text": "x", "tlp": "purple", "to": "all"}' "$T_C1"
expect_error tlp 400 "an unknown TLP -> 400 tlp"

api POST /council/posts '{"text": "全セプター向け：不審メールの傾向共有", "tlp": "green", "to": "all"}' "$T_C1"
expect_status 201 "a member posts to all members"
ALL=$(jqv .id)
api POST /council/posts "{\"text\": \"電力と鉄道だけに：停電時の連絡手順\", \"tlp\": \"amber\", \"to\": [$C2]}" "$T_C1"
expect_status 201 "a member posts to one member"
ONE=$(jqv .id)

ids() { api GET /council/posts "" "$1"; jqv '[.items[].id] | sort | join(",")'; }
eq "the author reads both" "$(ids "$T_C1")" "$ALL,$ONE"
eq "the addressed member reads both" "$(ids "$T_C2")" "$ALL,$ONE"
eq "a member not addressed reads only the post to all" "$(ids "$T_C3")" "$ALL"
eq "a non-member CEPTOAR reads nothing" "$(ids "$T_C4")" ""
eq "NISC reads nothing it was not given" "$(ids "$T_NISC")" ""
eq "a ministry reads nothing it was not given" "$(ids "$T_FSA")" ""
api GET "/council/posts/$ONE" "" "$T_NISC"
A=$BODY
api GET "/council/posts/999999" "" "$T_NISC"
eq "NISC on an unshared post: the same 404 as a missing one" "$A" "$BODY"

api POST "/council/posts/$ONE/share" "{\"to\": [$NISC]}" "$T_C2"
expect_error "" 403 "an addressed member cannot share another's post"
api POST "/council/posts/$ONE/share" "{\"to\": [$B1]}" "$T_C1"
expect_error to.0 400 "a post is not shared with an operator"
api POST "/council/posts/$ONE/share" "{\"to\": [$NISC]}" "$T_C1"
expect_status 200 "the author shares the post with NISC"
eq "the author sees whom it shared with" "$(jqv '.shared_with | join(",")')" "$NISC"
eq "NISC now reads the shared post" "$(ids "$T_NISC")" "$ONE"
api GET "/council/posts/$ONE" "" "$T_NISC"
eq "NISC does not see the author's shares" "$(jqv 'has("shared_with")')" false
eq "the ministry still reads nothing" "$(ids "$T_FSA")" ""

api PATCH "/orgs/$C3" '{"council_member": false}' "$ADMIN"
expect_status 200 "C3 leaves the council"
eq "a former member no longer reads the posts to all" "$(ids "$T_C3")" ""

# the CLI
cli() { CISHARE_URL=http://127.0.0.1:$PORT CISHARE_TOKEN=$1 "$CISHARE" "${@:2}"; }
OUT=$(cli "$T_C2" council post "ガス・電力の相互連絡" --member "$C1" --tlp green)
ok "cishare council post" 'grep -qE "^post [0-9]+$" <<<"$OUT"'
P3=$(awk '{print $2}' <<<"$OUT")
OUT=$(cli "$T_C1" council list)
ok "cishare council list shows the post to C1" 'grep -qE "^$P3 +$C2 +green" <<<"$OUT"'
OUT=$(cli "$T_C2" council share "$P3" "$FSA")
ok "cishare council share" 'grep -qE "^post $P3 shared$" <<<"$OUT"'
eq "the ministry reads the post its author shared" "$(ids "$T_FSA")" "$P3"

AUD=$(audit_all "$ADMIN")
eq "membership, posts, shares and reads are audited" \
    "$(jq -c '[.[] | select(.action | startswith("council.")) | .action] | unique' <<<"$AUD")" \
    '["council.member","council.post","council.read","council.share"]'
stop_server
