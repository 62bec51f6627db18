#!/usr/bin/env bash
# Federation between cishare nodes over TAXII 2.1 (issue 11 items 4 and 7,
# issue 13; docs/interop.md "Federation"): two daemons on loopback.  Node A
# knows node B as a peer (an organisation of A stands for B: B's account);
# node B polls A's advisories collection with that account's token.  An
# AMBER and a GREEN advisory of A reach B's federated inbox with their TLP
# and A as their source; a RED one and a drill's never cross (A's policy
# refuses them to a peer account, though the same account read the RED one
# before it was a peer's).  The cursor is A's X-TAXII-Date-Added-Last and
# the next poll asks only for what came after it.  The peer's secret is
# sealed in B's database and never returned.  A peer that answers garbage
# and one that hangs leave B answering at once, their errors recorded with
# exponential back-off.  The admin API refuses malformed peers naming the
# field; the CLI lists, adds, syncs and removes peers.  An export → import
# round trip keeps every field of every object.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || { fail "python3 is installed" ""; exit 1; }

# ---- node A ------------------------------------------------------------
start_server
A_URL=$URL A_ADMIN=$ADMIN A_PID=$SERVER_PID A_ERR=$SERVER_ERR A_N=$SERVER_N A_DB=$DB
A_BASE=${URL%/api/v1}
ref_orgs NISC=nisc
NODE_B=$(fast_org "Node B (peer)" ci_ministry '["finance"]')
T_PEER=$(fast_principal "$NODE_B" node-b liaison)
T_NISC_A=$(fast_principal "$NISC" fed-nisc-a analyst)

adv() {	# adv TLP SUMMARY [DRILL] [IP] -> id
	local f body
	f=$(mkadv "$1" ".recipients = [{ministry: $NODE_B, sector: \"finance\"}]
	    | .threat_content.summary = \"$2 C2 ${4:-198.51.100.23}\"")
	body=$(jq -nc --argjson f "$f" --argjson d "${3:-null}" \
	    '{urgent: false, form: $f} + (if $d == null then {} else {drill: $d} end)')
	api POST /advisories "$body" "$T_NISC_A"
	created "issue the $1 advisory $2" id
}
ADV_AMBER=$(adv amber fed-amber)
ADV_GREEN=$(adv green fed-green)
ADV_RED=$(adv red fed-red)
api POST /drills "{\"name\": \"fed drill\", \"targets\": [$NODE_B]}" "$T_NISC_A"
DRILL=$(created "a drill" id)
ADV_DRILL=$(adv amber fed-drill "$DRILL")

# taxii_names TOKEN -> the names of the report objects A serves to TOKEN
taxii_names() {
	curl -s -g --max-time 30 -H "Authorization: Bearer $1" \
	    -H 'Accept: application/taxii+json;version=2.1' \
	    "$A_BASE/taxii2/cishare/collections/advisories/objects/?limit=1000" |
	    jq -r '[.objects[]? | select(.type == "report") | .name] | join("|")'
}
N=$(taxii_names "$T_PEER")
ok "before it stands for a peer, the ministry account reads the RED advisory (control)" '[[ $N == *fed-red* ]]'

api POST /peers "{\"name\": \"node-b\", \"org\": $NODE_B, \"url\": null}" "$A_ADMIN"
expect_status 201 "A registers node B (it only polls A: no url)"
eq "a peer without url has no next poll" "$(jqv .next_at)" null
N=$(taxii_names "$T_PEER")
ok "a peer account reads the AMBER and GREEN advisories over TAXII" '[[ $N == *fed-amber* && $N == *fed-green* ]]'
ok "a peer account never reads the RED advisory (RED never leaves the node)" '[[ $N != *fed-red* ]]'
ok "a peer account never reads a drill's advisory (issue 13)" '[[ $N != *fed-drill* ]]'
api GET "/advisories/$ADV_RED" "" "$T_PEER"
expect_error "" 404 "nor over the API: the RED advisory is a 404 for the peer account"
api GET "/advisories/$ADV_AMBER" "" "$T_PEER"
expect_status 200 "the AMBER one is not"
N=$(taxii_names "$T_NISC_A")
ok "NISC on A still reads all four" '[[ $N == *fed-red* && $N == *fed-drill* && $N == *fed-amber* ]]'

# ---- node B --------------------------------------------------------------
export CISHARED_PEER_TIMEOUT=2
init_db "$WORK/b.db"
[ -n "$ADMIN" ] && [ "$ADMIN" != "$A_ADMIN" ] || { fail "node B initialises" "$INIT_OUT"; exit 1; }
serve_db
B_URL=$URL B_ADMIN=$ADMIN
ref_orgs B_NISC=nisc
NODE_A=$(fast_org "Node A (NISC)" cybersecurity_agency '[]')
T_NISC_B=$(fast_principal "$B_NISC" fed-nisc-b analyst)
T_OP_B=$(fast_principal "$(fast_org "B operator" ci_operator '["finance"]')" fed-op-b member)

# validation: each bad body names its field, nothing is written
P_OK="{\"name\": \"node-a\", \"org\": $NODE_A, \"url\": \"$A_BASE/taxii2/cishare/\", \"collection\": \"advisories\", \"auth\": {\"type\": \"bearer\", \"secret\": \"$T_PEER\"}, \"interval_s\": 1}"
pbad() { bad "$1" "$2" "$3" POST /peers "$B_ADMIN" "$(jq -c "$4" <<<"$P_OK")"; }
pbad "no name" 400 name 'del(.name)'
pbad "an empty name" 400 name '.name = ""'
pbad "no org" 400 org 'del(.org)'
pbad "an unknown org" 400 org '.org = 999999'
pbad "a url that is not http(s)" 400 url '.url = "ftp://x.example/taxii2/"'
pbad "a url with a query" 400 url '.url = "http://x.example/taxii2/?a=b"'
pbad "plain http:// to another host (ASVS 9.2.2: TLS only)" 400 url '.url = "http://x.example/taxii2/"'
pbad "plain http:// to a private address" 400 url '.url = "http://10.0.0.8/taxii2/"'
pbad "a bad collection id" 400 collection '.collection = "../x"'
pbad "an unknown auth type" 400 auth.type '.auth.type = "digest"'
pbad "basic without a login" 400 auth.login '.auth = {type: "basic", secret: "x"}'
pbad "bearer without a secret" 400 auth.secret '.auth = {type: "bearer"}'
pbad "an unknown auth member" 400 auth.password '.auth.password = "x"'
pbad "interval_s 0" 400 interval_s '.interval_s = 0'
pbad "interval_s not a number" 400 interval_s '.interval_s = "5"'
pbad "enabled not a boolean" 400 enabled '.enabled = "yes"'
api POST /peers '{"name": ' "$B_ADMIN"
expect_error "" 400 "malformed JSON -> 400"
api GET /peers "" "$B_ADMIN"
eq "nothing was written" "$(jqv '.items | length')" 0
api POST /peers "$P_OK" "$T_NISC_B"
expect_error "" 403 "a NISC analyst does not register peers"
api POST /peers "$P_OK" "$T_OP_B"
expect_error "" 403 "an operator does not either"
api GET /peers "" "$T_OP_B"
expect_error "" 403 "an operator does not read the peers"

api POST /peers "$P_OK" "$B_ADMIN"
expect_status 201 "B's admin registers node A with a bearer token"
PA=$(jqv .id)
ok "the answer never holds the secret" '[[ $BODY != *"$T_PEER"* ]]'
eq "it says a secret is set" "$(jqv .auth.secret_set)" true
api POST /peers "$P_OK" "$B_ADMIN"
expect_error name 409 "the same name again -> 409 name"
ok "the secret is sealed in B's database, never in clear" '! db_dump "$WORK/b.db" | grep -qF "$T_PEER"'

# wait_peer ID JQ_CONDITION [SECONDS] — until GET /peers/ID satisfies it
wait_peer() {
	local i
	for i in $(seq 1 $((${3:-20} * 4))); do
		api GET "/peers/$1" "" "$B_ADMIN"
		[ "$(jqv "$2")" == true ] && return 0
		sleep 0.25
	done
	return 1
}
ok "node B polls node A (a sync succeeds within 20 s)" wait_peer "$PA" '.last_ok_at != null and .received > 0'
eq "no error recorded" "$(jqv .last_error)" null
CUR=$(jqv .cursor)
LAST=$(curl -s -g -D - -o /dev/null -H "Authorization: Bearer $T_PEER" \
    -H 'Accept: application/taxii+json;version=2.1' \
    "$A_BASE/taxii2/cishare/collections/advisories/objects/?limit=1000" |
    sed -n 's/^[Xx]-[Tt][Aa][Xx][Ii][Ii]-[Dd]ate-[Aa]dded-[Ll]ast: *\([^\r]*\).*/\1/p')
eq "the cursor is A's X-TAXII-Date-Added-Last" "$CUR" "$LAST"

api GET /inbox/federated "" "$T_NISC_B"
expect_status 200 "B's NISC analyst reads the federated inbox"
eq "the AMBER advisory from A is in B's inbox with its TLP" \
    "$(jqv '[.items[] | select(.name | contains("fed-amber")) | .tlp] | join(",")')" amber
eq "the GREEN one with its TLP" \
    "$(jqv '[.items[] | select(.name | contains("fed-green")) | .tlp] | join(",")')" green
eq "marked with the peer as its source" \
    "$(jqv '[.items[] | select(.name | contains("fed-amber")) | .peer.name] | join(",")')" node-a
ok "the RED advisory never crossed" '[[ $BODY != *fed-red* ]]'
ok "the drill's advisory never crossed" '[[ $BODY != *fed-drill* ]]'
ok "no RED object at all reached B" \
    '! db_dump "$WORK/b.db" | grep -q "e828b379-4e03-4974-9ac4-e53a884c97c1\",\"definition"'
CONTRIB=$(curl -s -g --max-time 30 -H "Authorization: Bearer $T_NISC_B" \
    -H 'Accept: application/taxii+json;version=2.1' \
    "${URL%/api/v1}/taxii2/cishare/collections/contributions/objects/?limit=1000")
ok "B's NISC reads what A sent in B's contributions collection (the import path), indicators included" \
    '[ "$(jqv "[.objects[] | select(.type == \"report\" and (.name | contains(\"fed-amber\")))] | length" "$CONTRIB")" == 1 ] &&
     [ "$(jqv "[.objects[] | select(.type == \"indicator\")] | length" "$CONTRIB")" -ge 1 ]'
ok "none of them RED, none a drill's" \
    '[ "$(jqv "[.objects[] | select((.object_marking_refs // []) | index(\"marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1\")) ] | length" "$CONTRIB")" == 0 ] &&
     [ "$(jqv "[.objects[] | select((.labels // []) | index(\"drill\"))] | length" "$CONTRIB")" == 0 ]'
api GET /inbox/federated "" "$T_OP_B"
expect_error "" 403 "an operator does not read the federated inbox"
api GET "/audit?action=federation.ingest" "" "$B_ADMIN"
ok "the ingestion is audited (federation.ingest)" '[ "$(jqv "[.items[] | select(.action == \"federation.ingest\")] | length")" -gt 0 ]'

# the cursor: the next poll asks for what came after it only
REC=$(jqv .received)
api GET "/peers/$PA" "" "$B_ADMIN"
REC=$(jqv .received)
ADV_LATE=$(URL=$A_URL adv green fed-late)
ok "a later advisory crosses at the next poll" wait_peer "$PA" '.received > '"$REC"
api GET /inbox/federated "" "$T_NISC_B"
eq "it is in the inbox once, the earlier ones still once" \
    "$(jqv '[.items[] | select(.name | test("fed-(late|amber|green)"))] | length')" 3
URL=$A_URL api GET "/audit?action=taxii.read&limit=500" "" "$A_ADMIN"
eq "A served that poll only what came after the cursor (its audit names the later advisory alone)" \
    "$(jqv '[.items[] | select(.action == "taxii.read" and .detail.objects > 0)] | sort_by(.id) | last | .detail.items | join(",")')" \
    "advisory:$ADV_LATE"

# sync now, PATCH, errors
api GET "/peers/$PA" "" "$T_OP_B"
expect_error "" 404 "for an operator a peer does not exist: 404"
api PATCH "/peers/$PA" '{"enabled": false}' "$T_NISC_B"
expect_error "" 403 "NISC reads peers but does not change them: 403"
api GET "/peers/$PA" "" "$T_NISC_B"
expect_status 200 "NISC reads a peer"
api POST "/peers/$PA/sync" "" "$B_ADMIN"
expect_status 202 "sync now -> 202"
api POST "/peers/999999/sync" "" "$B_ADMIN"
expect_error "" 404 "an unknown peer -> 404"
api PATCH "/peers/$PA" '{"interval_s": 5000000}' "$B_ADMIN"
expect_error interval_s 400 "PATCH with a bad interval -> 400 interval_s"
api PATCH "/peers/$PA" '{"colour": "red"}' "$B_ADMIN"
expect_error colour 400 "PATCH with an unknown member -> 400"
api PATCH "/peers/$PA" '{"collection": "indicators"}' "$B_ADMIN"
eq "PATCH to another collection starts a new cursor" "$(jqv .collection),$(jqv .cursor)" indicators,null
api PATCH "/peers/$PA" '{"collection": "advisories"}' "$B_ADMIN"
ok "back on advisories, it catches up again (nothing twice)" wait_peer "$PA" '.cursor != null and .last_error == null'
api GET /inbox/federated "" "$T_NISC_B"
eq "each advisory still once in the inbox" \
    "$(jqv '[.items[] | select(.name | test("fed-(late|amber|green)"))] | length')" 3

# ---- a peer that answers garbage, and one that hangs --------------------
cat >"$WORK/junk.py" <<'PY'
import socket, sys, threading, time
mode = sys.argv[1]
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 0)); s.listen(16)
print(s.getsockname()[1], flush=True)
def serve(c):
    try:
        c.recv(65536)
        if mode == "junk":
            body = b"<html>\x00\xff garbage {]\n"
            c.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/taxii+json;version=2.1\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % len(body) + body)
            c.close()
        else:
            time.sleep(3600)
    except Exception:
        pass
while True:
    c, _ = s.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
PY
python3 "$WORK/junk.py" junk >"$WORK/junk.port" 2>/dev/null &
JUNK_PID=$!
python3 "$WORK/junk.py" hang >"$WORK/hang.port" 2>/dev/null &
HANG_PID=$!
for i in $(seq 1 100); do
	[ -s "$WORK/junk.port" ] && [ -s "$WORK/hang.port" ] && break
	sleep 0.05
done
JP=$(cat "$WORK/junk.port") HP=$(cat "$WORK/hang.port")
api POST /peers "{\"name\": \"junk\", \"org\": $NODE_A, \"url\": \"http://127.0.0.1:$JP/taxii2/x/\", \"interval_s\": 1}" "$B_ADMIN"
PJ=$(created "a peer answering garbage" id)
api POST /peers "{\"name\": \"hang\", \"org\": $NODE_A, \"url\": \"http://127.0.0.1:$HP/taxii2/x/\", \"auth\": {\"type\": \"basic\", \"login\": \"b\", \"secret\": \"pw\"}, \"interval_s\": 1}" "$B_ADMIN"
PH=$(created "a peer that hangs" id)
sleep 1
SLOW=0
for i in 1 2 3 4 5 6 7 8 9 10; do
	t0=$(date +%s%N)
	api GET /peers "" "$B_ADMIN"
	t1=$(date +%s%N)
	[ "$STATUS" == 200 ] && [ $(((t1 - t0) / 1000000)) -lt 1000 ] || SLOW=$((SLOW + 1))
	sleep 0.4
done
eq "B answers every request within a second while the peers misbehave" "$SLOW" 0
ok "the garbage is recorded as the junk peer's error" wait_peer "$PJ" \
    '.failures >= 2 and (.last_error | test("not a TAXII envelope"))'
F=$(jqv .failures)
D=$(jqv '((.next_at | sub("\\+09:00$"; "Z") | sub("Z$"; "") | sub("\\.[0-9]+$"; "") | strptime("%Y-%m-%dT%H:%M:%S") | mktime) - (.last_try_at | sub("\\+09:00$"; "Z") | sub("Z$"; "") | sub("\\.[0-9]+$"; "") | strptime("%Y-%m-%dT%H:%M:%S") | mktime))')
ok "with exponential back-off (next try ≥ 2^failures s after the last: $F failures, $D s)" \
    '[ "$D" -ge $(( (1 << F) - 1 )) ]'
eq "its cursor never moved" "$(jqv .cursor)" null
ok "the hanging peer times out and is recorded" wait_peer "$PH" \
    '.failures >= 1 and (.last_error | test("[Tt]imeout|timed out"))' 20
api GET /healthz ""
api GET /me "" "$T_NISC_B"
expect_status 200 "B still serves"
api GET "/peers/$PA" "" "$B_ADMIN"
eq "the good peer kept working meanwhile" "$(jqv .last_error)" null
kill "$JUNK_PID" "$HANG_PID" 2>/dev/null
wait "$JUNK_PID" "$HANG_PID" 2>/dev/null

# ---- the CLI -----------------------------------------------------------
cli() { CISHARE_URL=http://127.0.0.1:$PORT CISHARE_TOKEN=$1 "$CISHARE" "${@:2}"; }
api GET "/peers/$PA" "" "$B_ADMIN"
CUR=$(jqv .cursor)
OUT=$(cli "$B_ADMIN" peer list)
ok "cishare peer list shows node-a with its cursor" 'grep -qE "^$PA +node-a .*$CUR" <<<"$OUT"'
ok "and never the secret" '[[ $OUT != *"$T_PEER"* ]]'
printf '{"name": "cli-peer", "org": %s, "url": null}\n' "$NODE_A" >"$WORK/peer.json"
OUT=$(cli "$B_ADMIN" peer add "$WORK/peer.json")
ok "cishare peer add" 'grep -qE "^peer [0-9]+$" <<<"$OUT"'
PC=${OUT#peer }
OUT=$(cli "$B_ADMIN" peer sync "$PA")
ok "cishare peer sync" 'grep -qE "^peer $PA: sync requested$" <<<"$OUT"'
OUT=$(cli "$B_ADMIN" peer sync "$PC" 2>&1)
ok "cishare peer sync of a peer without url fails naming url" 'grep -q "url" <<<"$OUT"'
OUT=$(cli "$B_ADMIN" peer remove "$PC")
ok "cishare peer remove" 'grep -q "peer removed" <<<"$OUT"'
api GET "/peers/$PC" "" "$B_ADMIN"
expect_error "" 404 "the removed peer is gone"
for p in "$PJ" "$PH"; do api DELETE "/peers/$p" "" "$B_ADMIN"; done
expect_status 200 "DELETE /peers/{id}"
api GET "/audit?action=peer.create" "" "$B_ADMIN"
ok "peer.create is audited, without the secret" '[[ $BODY == *peer.create* && $BODY != *"$T_PEER"* ]]'

# ---- export → import round trip keeps every field ----------------------
api PATCH "/peers/$PA" '{"enabled": false}' "$B_ADMIN"
eq "the peer is disabled (an advisory now stays at A)" "$(jqv .enabled),$(jqv .next_at)" false,null
# (an SCO of its own: an SCO's id is its value's, and an SCO has no version)
ADV_RT=$(URL=$A_URL adv amber_strict fed-roundtrip "" 192.0.2.201)
URL=$A_URL api GET "/advisories/$ADV_RT/stix" "" "$T_NISC_A"
EXPORTED=$BODY
ok "A exports an AMBER+STRICT advisory as STIX" '[ "$(jqv ".objects | length" "$EXPORTED")" -gt 3 ]'
api POST /stix/import "$EXPORTED" "$T_NISC_B"
ok "B's NISC imports the bundle" '[[ $STATUS == 20? ]] && [ "$(jqv "[.successes[] | select(.message == \"added\")] | length")" -ge 1 ]'
IDS=$(jqv '[.objects[].id] | join(",")' "$EXPORTED")
BACK=$(curl -s -g --max-time 30 -H "Authorization: Bearer $T_NISC_B" \
    -H 'Accept: application/taxii+json;version=2.1' \
    "${URL%/api/v1}/taxii2/cishare/collections/contributions/objects/?limit=1000&match[id]=$IDS&match[version]=all")
eq "every object comes back from B's TAXII server with every field as exported" \
    "$(jq -S '[.objects[]] | sort_by(.id)' <<<"$BACK" | sha256sum)" \
    "$(jq -S '[.objects[]] | sort_by(.id)' <<<"$EXPORTED" | sha256sum)"

# ---- the peers file (cishared serve --peers FILE) ----------------------
stop_server
jq -n --argjson a "$NODE_A" --arg u "$A_BASE/taxii2/cishare/" --arg t "$T_PEER" \
    '{peers: [{name: "node-a", org: $a, url: $u, auth: {type: "bearer", secret: $t},
	       interval_s: 2, enabled: true},
	      {name: "file-peer", org: $a, url: null}]}' >"$WORK/peers.json"
chmod 600 "$WORK/peers.json"
jq '.peers[1].url = "gopher://x/"' "$WORK/peers.json" >"$WORK/peers-bad.json"
db_keyargs "$WORK/b.db"
RC=0
timeout 30 "$CISHARED" serve --db "$(db_url "$WORK/b.db")" "${KEYARGS[@]}" --listen 127.0.0.1:0 \
    --peers "$WORK/peers-bad.json" >"$WORK/bad.out" 2>"$WORK/bad.err" || RC=$?
ok "a bad peers file stops serve, naming the peer and member (peers.1.url)" \
    '[ "$RC" != 0 ] && [ "$RC" != 124 ] && grep -q "peers.1.url" "$WORK/bad.err"'
export CISHARED_PEERS=$WORK/peers.json
serve_db "$WORK/b.db"
unset CISHARED_PEERS
api GET /peers "" "$B_ADMIN"
eq "the file's peers are registered or updated (node-a: interval 2, enabled; file-peer new)" \
    "$(jqv '[.items[] | select(.name == "node-a" or .name == "file-peer") | "\(.name):\(.interval_s):\(.enabled)"] | sort | join(",")')" \
    "file-peer:300:true,node-a:2:true"
ok "the file's secret is sealed too" '! db_dump "$WORK/b.db" | grep -qF "$T_PEER"'
ok "and node-a polls again" wait_peer "$PA" '.last_error == null and .cursor != null'
api GET "/audit?action=peer.create" "" "$B_ADMIN"
ok "the file's new peer is audited (peer.create), no secret" '[[ $BODY == *file-peer* && $BODY != *"$T_PEER"* ]]'

# ---- stop node A too ---------------------------------------------------
stop_server
SERVER_PID=$A_PID SERVER_ERR=$A_ERR SERVER_N=$A_N
stop_server
