#!/usr/bin/env bash
# Advisories (情報提供), the whole downward path: NISC issues one advisory at
# every TLP level to finance + electricity; the ministries relay to their
# CEPTOARs (RED refused), the CEPTOARs to their members (non-members and
# targets outside the ceiling refused); an urgent advisory goes straight to
# the CEPTOARs and operators with the ministries in copy.  Then, for every
# principal (3 sectors, 3 ministries, 3 CEPTOARs, 11 operators, NISC, CAS,
# a pre-arranged and a plain agency, nda_contractor users): GET
# /advisories/{id} 200/404, presence in GET /inbox and on a live SSE stream
# opened before the issue; public CLEAR list; webhook notifications (no
# body for RED/AMBER, signature verified, nothing for an nda user's channel
# at AMBER+STRICT, a dead channel ends up failed); acknowledgements,
# per-hop latencies and the not-acknowledged list from the API and the CLI.
. "$(dirname "$0")/lib.sh"
export CISHARED_NOTIFY_BACKOFF_MS=200
start_server
command -v python3 >/dev/null || { fail "python3 is installed" "needed for the webhook receiver"; exit 1; }

# a webhook receiver (started first: python is slow to start on a busy machine)
cat >"$WORK/hook.py" <<'PY'
import base64, http.server, json, os, sys, threading
log = open(sys.argv[1], "a")
lock = threading.Lock()
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n)
        rec = {"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()},
               "body": base64.b64encode(body).decode()}
        with lock:
            log.write(json.dumps(rec) + "\n")
            log.flush()
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")
    def log_message(self, *a):
        pass
s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
with open(sys.argv[2] + ".tmp", "w") as f:
    f.write(str(s.server_address[1]))
d = __import__("socket").socket()
d.bind(("127.0.0.1", 0))
dead = d.getsockname()[1]
d.close()
with open(sys.argv[2] + ".dead", "w") as f:
    f.write(str(dead))
os.rename(sys.argv[2] + ".tmp", sys.argv[2])
s.serve_forever()
PY
: >"$WORK/hook.log"
python3 "$WORK/hook.py" "$WORK/hook.log" "$WORK/hook.port" &
HOOK_PID=$!
declare -A SSE_PID
stop_streams() {
	local s
	for s in "${!SSE_PID[@]}"; do kill "${SSE_PID[$s]}" 2>/dev/null; wait "${SSE_PID[$s]}" 2>/dev/null; done
	SSE_PID=()
}
cleanup_helpers() {
	stop_streams
	[ -n "${HOOK_PID:-}" ] && kill "$HOOK_PID" 2>/dev/null && wait "$HOOK_PID" 2>/dev/null
	HOOK_PID=
}
trap 'rc_=$?; cleanup_helpers; (exit $rc_); e2e_exit' EXIT

# ---- the directory: reference bodies from init, the rest created here ----
ref_orgs NISC=nisc CAS=cas_crisis_management FSA=ci_ministry:finance \
    METI=ci_ministry:electricity MLIT=ci_ministry:railway \
    JPCERT=cybersecurity_agency::JPCERT IPA=cybersecurity_agency::IPA
ok "init created the reference organisations (NISC, CAS, FSA, METI, MLIT, JPCERT/CC, IPA)" \
    "[ $NISC -gt 0 ] && [ $CAS -gt 0 ] && [ $FSA -gt 0 ] && [ $METI -gt 0 ] && [ $MLIT -gt 0 ] && [ $JPCERT -gt 0 ] && [ $IPA -gt 0 ]"
api PATCH "/orgs/$JPCERT" '{"pre_arranged": true}' "$ADMIN"
expect_status 200 "admin marks JPCERT/CC pre-arranged (※1)"

orgs "F " <<'EOF'
CEP_F	ceptoar_secretariat	["finance"]		-	銀行等CEPTOAR
CEP_E	ceptoar_secretariat	["electricity","gas"]	-	電力・ガスCEPTOAR
CEP_R	ceptoar_secretariat	["railway"]		-	鉄道CEPTOAR
F1	ci_operator		["finance"]		CEP_F	みなと銀行
F2	ci_operator		["finance"]		CEP_F	さくら信金
F3	ci_operator		["finance"]		CEP_F	北斗証券
F4	ci_operator		["finance"]		CEP_F	東西生命
E1	ci_operator		["electricity"]		CEP_E	東都電力
E2	ci_operator		["electricity"]		CEP_E	西海電力
E3	ci_operator		["electricity"]		CEP_E	南山送電
G1	ci_operator		["gas"]			CEP_E	中央ガス
R1	ci_operator		["railway"]		CEP_R	山手鉄道
R2	ci_operator		["railway"]		CEP_R	湾岸モノレール
R3	ci_operator		["railway"]		CEP_R	高原電鉄
EOF

declare -A TOK ORG
p() { # NAME ORG LOGIN ROLES [NDA]
	TOK[$1]=$(fast_principal "$2" "$3" "$4" "${5:-false}")
	ORG[$1]=$2
}
p nisc "$NISC" f-nisc analyst
p nisc_ap "$NISC" f-nisc-ap approver
p nisc_nda "$NISC" f-nisc-nda analyst true
p cas "$CAS" f-cas member
p fsa "$FSA" f-fsa liaison
p meti "$METI" f-meti liaison
p fsa_adm "$FSA" f-fsa-adm org_admin
p mlit "$MLIT" f-mlit liaison
p cep_f "$CEP_F" f-cep-f poc
p cep_e "$CEP_E" f-cep-e poc
p cep_r "$CEP_R" f-cep-r poc
p f1 "$F1" f-f1 member
p f1_nda "$F1" f-f1-nda member true
p f1_adm "$F1" f-f1-adm org_admin
p f2 "$F2" f-f2 member
p f2_adm "$F2" f-f2-adm org_admin
p f3 "$F3" f-f3 member
p f4 "$F4" f-f4 member
p e1 "$E1" f-e1 member
p e1_nda "$E1" f-e1-nda member true
p e1_adm "$E1" f-e1-adm org_admin
p e2 "$E2" f-e2 member
p e3 "$E3" f-e3 member
p g1 "$G1" f-g1 member
p r1 "$R1" f-r1 member
p r2 "$R2" f-r2 member
p r3 "$R3" f-r3 member
p jpcert "$JPCERT" f-jpcert member
p ipa "$IPA" f-ipa member
TOK[admin]=$ADMIN
ORG[admin]=1
PRINCIPALS=(nisc nisc_ap nisc_nda cas fsa fsa_adm meti mlit cep_f cep_e cep_r f1 f1_nda f1_adm f2 f2_adm f3 f4
    e1 e1_nda e1_adm e2 e3 g1 r1 r2 r3 jpcert ipa admin)
eq "30 distinct principals" "$(printf '%s\n' "${TOK[@]}" | sort -u | grep -c .)" 30

# ---- live inbox streams, opened before anything is issued ----
STREAMERS=(fsa meti mlit cep_f cep_e cep_r f1 f1_nda e1 e1_nda g1 r1 cas jpcert ipa)
for s in "${STREAMERS[@]}"; do
	curl -sN --max-time 160 -H "Authorization: Bearer ${TOK[$s]}" \
	    "$URL/inbox/stream" >"$WORK/sse.$s" 2>/dev/null &
	SSE_PID[$s]=$!
done
for i in $(seq 1 100); do
	n=0
	for s in "${STREAMERS[@]}"; do grep -q '^: connected' "$WORK/sse.$s" && n=$((n + 1)); done
	[ "$n" == "${#STREAMERS[@]}" ] && break
	sleep 0.05
done
eq "all ${#STREAMERS[@]} inbox streams are connected" "$n" "${#STREAMERS[@]}"

# ---- a webhook receiver and the channels ----
for i in $(seq 1 400); do [ -s "$WORK/hook.port" ] && break; sleep 0.05; done
HPORT=$(cat "$WORK/hook.port" 2>/dev/null)
ok "the webhook receiver listens" '[ -n "$HPORT" ]'
CLOSED=$(cat "$WORK/hook.port.dead" 2>/dev/null)

api GET /me "" "${TOK[f1_nda]}"
F1_NDA_UID=$(jqv .id)
declare -A SECRET
chan() { # LABEL TOKEN PATH [USER]
	local body
	body=$(jq -nc --arg t "http://127.0.0.1:$HPORT$3" --argjson u "${4:-null}" \
	    '{kind: "webhook", target: $t} + (if $u == null then {} else {user: $u} end)')
	api POST /notification-channels "$body" "$2"
	expect_status 201 "$1: webhook channel created"
	eq "$1: the answer carries the signing secret" "$(jqv '(.secret | type) + (.secret | length | tostring)')" string64
	SECRET[$3]=$(jqv .secret)
}
chan "F1 org channel (org_admin)" "${TOK[f1_adm]}" /hook/f1
chan "E1 org channel (org_admin)" "${TOK[e1_adm]}" /hook/e1
chan "FSA org channel (org_admin)" "${TOK[fsa_adm]}" /hook/fsa
chan "F1 nda user's own channel" "${TOK[f1_nda]}" /hook/f1nda "$F1_NDA_UID"
api POST /notification-channels "{\"kind\":\"webhook\",\"target\":\"http://127.0.0.1:$CLOSED/hook\"}" "${TOK[f2_adm]}"
expect_status 201 "F2 org channel to a closed port created"
FAILCH=$(jqv .id)
api GET /notification-channels "" "${TOK[f1_adm]}"
eq "F1 org_admin lists its organisation's two channels (org + nda user's)" "$(jqv '.items | length')" 2
api GET /notification-channels "" "${TOK[f1]}"
eq "an F1 member without channels lists none" "$(jqv '.items | length')" 0

# ---- issuing and relaying ----
# relay LABEL ACTOR ID "ORG,ORG" STATUS [FIELD]
relay() {
	local label=$1 actor=$2 id=$3 to=$4 want=$5 field=${6:-}
	api POST "/advisories/$id/relay" "{\"to\": [$to]}" "${TOK[$actor]}"
	if [ "$want" == 200 ]; then
		expect_status 200 "$label: $actor relays to [$to] -> 200"
		[[ $BODY =~ \"delivered_to\":\[([0-9,]*)\] ]]
		eq "$label: $actor's relay answer lists [$to]" "${BASH_REMATCH[1]-}" "$to"
	else
		expect_error "$field" "$want" "$label: $actor relays to [$to] -> $want${field:+ field $field}"
	fi
}

# RED: stops at the addressee ministries (and ※1 parties by NISC)
R=$(adv_issue "${TOK[nisc]}" "$(mkadv red ".recipients[0].ministry = $FSA")")
api GET "/advisories/$R" "" "${TOK[nisc]}"
ok "RED: issued with a T-number" '[ "$(jqv .state)" == issued ] && [[ $(jqv .identification_number) =~ ^T[0-9]+$ ]]'
for o in "$CEP_F" "$F1"; do relay RED fsa "$R" "$o" 403 to.0; done
for o in "$CEP_E" "$E1,$CEP_E"; do relay RED meti "$R" "$o" 403 to.0; done
for o in "$IPA" "$FSA"; do relay RED nisc "$R" "$o" 403 to.0; done
relay RED nisc "$R" "$CAS,$JPCERT" 200
relay RED cep_f "$R" "$F1" 404 ""

# AMBER+STRICT: the recipient sectors; no nda contractors
AS=$(adv_issue "${TOK[nisc]}" "$(mkadv amber_strict)")
relay AMBER_STRICT fsa "$AS" "$CEP_F,$F4" 200
relay AMBER_STRICT meti "$AS" "$CEP_E" 200
relay AMBER_STRICT meti "$AS" "$R1" 403 to.0
relay AMBER_STRICT fsa "$AS" "$JPCERT" 403 to.0
relay AMBER_STRICT cep_f "$AS" "$F1,$F2" 200
relay AMBER_STRICT cep_f "$AS" "$E1" 403 to.0
relay AMBER_STRICT cep_e "$AS" "$E1,$G1" 403 to.1
relay AMBER_STRICT cep_e "$AS" "$E1" 200
relay AMBER_STRICT cep_r "$AS" "$R1" 404 ""
relay AMBER_STRICT f1 "$AS" "$F3" 403 ""

# AMBER
A=$(adv_issue "${TOK[nisc]}" "$(mkadv amber)")
relay AMBER fsa "$A" "$CEP_F" 200
relay AMBER meti "$A" "$CEP_E" 200
relay AMBER cep_f "$A" "$F1,$F2,$F3" 200
relay AMBER cep_e "$A" "$E1,$E2" 200
for o in "$R1" "$CEP_E"; do relay AMBER cep_f "$A" "$o" 403 to.0; done
relay AMBER mlit "$A" "$CEP_R" 404 ""
relay AMBER nisc "$A" "$CEP_F" 403 to.0

# GREEN: operators of any sector
G=$(adv_issue "${TOK[nisc]}" "$(mkadv green)")
relay GREEN fsa "$G" "$CEP_F" 200
relay GREEN meti "$G" "$CEP_E,$R1" 200
relay GREEN cep_e "$G" "$G1,$E1" 200
relay GREEN cep_f "$G" "$F1,$F2,$F3,$F4" 200
for o in "$JPCERT" "$R2"; do relay GREEN cep_f "$G" "$o" 403 to.0; done

# CLEAR: anyone, and public
C=$(adv_issue "${TOK[nisc]}" "$(mkadv clear)")
relay CLEAR fsa "$C" "$CEP_F" 200
relay CLEAR cep_f "$C" "$F1" 200
relay CLEAR nisc "$C" "$CAS" 200
relay CLEAR nisc "$C" "$IPA" 403 to.0

# urgent (AMBER): straight to the CEPTOARs and operators of the recipient sectors
U=$(adv_issue "${TOK[nisc]}" "$(mkadv amber '.threat_content.summary = "e2e urgent"')" true)
api GET "/advisories/$U" "" "${TOK[nisc]}"
eq "urgent: NISC reads it as urgent and issued" "$(jqv '"\(.urgent) \(.state)"')" "true issued"
eq "urgent: exactly the ministries (copy), CEPTOARs and operators of finance+electricity, each via the right path" \
    "$(jqv '[.delivery.hops[] | "\(.org):\(.via):\(.from_org)"] | sort | join(" ")')" \
    "$(printf '%s\n' "$FSA:copy:$NISC" "$METI:copy:$NISC" "$CEP_F:urgent:$NISC" "$CEP_E:urgent:$NISC" \
        "$F1:urgent:$NISC" "$F2:urgent:$NISC" "$F3:urgent:$NISC" "$F4:urgent:$NISC" \
        "$E1:urgent:$NISC" "$E2:urgent:$NISC" "$E3:urgent:$NISC" | sort | paste -sd' ')"

# ---- the matrix: GET /advisories/{id}, GET /inbox and the live stream ----
SPECS=()
readers() { SPECS+=("$1|$2| $3 "); }
readers RED "$R" "nisc nisc_ap fsa fsa_adm meti cas jpcert"
readers AMBER_STRICT "$AS" "nisc nisc_ap fsa fsa_adm meti cep_f cep_e f4 f1 f1_adm f2 f2_adm e1 e1_adm"
readers AMBER "$A" "nisc nisc_ap nisc_nda fsa fsa_adm meti cep_f cep_e f1 f1_nda f1_adm f2 f2_adm f3 e1 e1_nda e1_adm e2"
readers GREEN "$G" "nisc nisc_ap nisc_nda fsa fsa_adm meti cep_f cep_e r1 g1 e1 e1_nda e1_adm f1 f1_nda f1_adm f2 f2_adm f3 f4"
readers CLEAR "$C" "nisc nisc_ap nisc_nda fsa fsa_adm meti cep_f f1 f1_nda f1_adm cas"
readers URGENT "$U" "nisc nisc_ap nisc_nda fsa fsa_adm meti cep_f cep_e f1 f1_nda f1_adm f2 f2_adm f3 f4 e1 e1_nda e1_adm e2 e3"

is_streamer() { [[ " ${STREAMERS[*]} " == *" $1 "* ]]; }
# stream_events NAME -> "kind id" for every event on the stream
# (the item's "id" is its first key)
stream_events() {
	awk '/^event: /{ev=$2} /^data: /{id = "?"; if (match($0, /^data: \{"id":[0-9]+[,}]/))
	    id = substr($0, 13, RLENGTH - 13); print ev, id}' "$WORK/sse.$1"
}
# wait up to 5 s for every expected event to reach every stream
want_stream() { # NAME -> the expected "delivered ID" lines, sorted
	local spec label id rd
	for spec in "${SPECS[@]}"; do
		IFS='|' read -r label id rd <<<"$spec"
		[[ $rd == *" $1 "* ]] && echo "delivered $id"
	done | sort
}
for i in $(seq 1 100); do
	n=0
	for s in "${STREAMERS[@]}"; do
		[ "$(grep -c '^data: ' "$WORK/sse.$s")" -ge "$(want_stream "$s" | grep -c .)" ] && n=$((n + 1))
	done
	[ "$n" == "${#STREAMERS[@]}" ] && break
	sleep 0.05
done
for s in "${STREAMERS[@]}"; do
	eq "stream of $s: exactly one 'delivered' event per advisory it may read, nothing else" \
	    "$(stream_events "$s" | sort | paste -sd,)" "$(want_stream "$s" | paste -sd,)"
done

for pr in "${PRINCIPALS[@]}"; do
	paths=("/inbox?limit=500")
	for spec in "${SPECS[@]}"; do
		IFS='|' read -r label id rd <<<"$spec"
		paths+=("/advisories/$id")
	done
	mapfile -t codes < <(multi_get "${TOK[$pr]}" "${paths[@]}")
	if [ "$pr" == admin ] || [ "${codes[0]:-}" != 200 ]; then
		inbox=" ${codes[0]:-} "
	else
		inbox=" $(jq -r '[.items[].id] | join(" ")' "$WORK/mg.1" 2>/dev/null) "
	fi
	k=1
	for spec in "${SPECS[@]}"; do
		IFS='|' read -r label id rd <<<"$spec"
		k=$((k + 1))
		if [[ $rd == *" $pr "* ]]; then want=200; else want=404; fi
		got=${codes[$((k - 1))]:-000}
		if [ "$got" == 404 ] && ! grep -q '"error":{' "$WORK/mg.$k" 2>/dev/null; then
			got=404-without-JSON-error
		fi
		LAST="GET /advisories/$id as $pr"; STATUS=$got; BODY=$(head -c 300 "$WORK/mg.$k" 2>/dev/null)
		eq "$label: $pr GET -> $want" "$got" "$want"
		# NISC is the issuer, not an addressee: its inbox is empty.
		if [[ $pr == nisc* ]] || [ "$pr" == admin ]; then
			wi=404
		else
			wi=$want
		fi
		if [[ $inbox == *" $id "* ]]; then got=200; else got=404; fi
		eq "$label: $pr inbox $([ "$wi" == 200 ] && echo shows || echo hides) it" "$got" "$wi"
	done
done

api GET "/advisories?limit=500" "" "${TOK[nisc]}"
eq "NISC: GET /advisories lists all six, each with a delivery summary" \
    "$(jqv '[.items[] | select(.delivery_summary.delivered >= 1) | .id] | sort | join(",")')" \
    "$(printf '%s\n' "$R" "$AS" "$A" "$G" "$C" "$U" | sort -n | paste -sd,)"
api GET "/advisories?limit=500" "" "${TOK[nisc_nda]}"
eq "NISC nda contractor: GET /advisories hides RED and AMBER+STRICT" \
    "$(jqv '[.items[].id] | sort | join(",")')" "$(printf '%s\n' "$A" "$G" "$C" "$U" | sort -n | paste -sd,)"
api GET "/advisories/$A" "" "${TOK[f1]}"
eq "operator: no delivery record, no related_reports, no approved_by" \
    "$(jqv '[has("delivery"), has("related_reports"), has("approved_by"), (.my_delivery | type)] | map(tostring) | join(",")')" \
    "false,false,false,object"
api GET "/advisories/$A" "" "${TOK[fsa]}"
eq "ministry: a delivery record, no related_reports" "$(jqv '[has("delivery"), has("related_reports")] | map(tostring) | join(",")')" "true,false"

# ---- public ----
api GET /public/advisories "" ""
expect_status 200 "GET /public/advisories without a token -> 200"
eq "public: exactly the CLEAR advisory" "$(jqv '[.items[].id] | join(",")')" "$C"
eq "public: with its form" "$(jqv '.items[0].form.threat_content.summary')" "e2e advisory clear"
eq "public: the contact is NISC itself, not the drafting analyst" \
    "$(jqv '.items[0].form.nisc_contact | tojson')" '{"contact_person":"内閣官房 内閣サイバーセキュリティセンター（NISC）"}'
ok "public: no analyst login, name, phone or e-mail anywhere in it" \
    '! grep -q "f-nisc" <<<"$BODY"'
api GET "/advisories/$C" "" "${TOK[f1]}"
ok "a logged-in reader still sees the analyst's contact in the advisory" \
    '[ "$(jqv ".versions[-1].form.nisc_contact.contact_person // .form.nisc_contact.contact_person")" == "user f-nisc" ]'
api GET "/public/advisories/$C" "" ""
ok "public: no per-id route that could leak ($STATUS)" '[ "$STATUS" == 404 ] || [ "$STATUS" == 405 ]'
api GET "/advisories/$C" "" ""
expect_status 401 "GET /advisories/{CLEAR} without a token -> 401"

# ---- notifications ----
# expected webhook deliveries: "path id form?"
HOOK_WANT=$(printf '%s\n' \
    "/hook/f1 $AS nobody" "/hook/e1 $AS nobody" \
    "/hook/f1 $A nobody" "/hook/e1 $A nobody" "/hook/f1nda $A nobody" \
    "/hook/f1 $G form" "/hook/e1 $G form" "/hook/f1nda $G form" \
    "/hook/f1 $C form" "/hook/f1nda $C form" \
    "/hook/f1 $U nobody" "/hook/e1 $U nobody" "/hook/f1nda $U nobody" \
    "/hook/fsa $R nobody" "/hook/fsa $AS nobody" "/hook/fsa $A nobody" "/hook/fsa $G form" \
    "/hook/fsa $C form" "/hook/fsa $U nobody" | sort)
jq -n --arg a "${SECRET[/hook/f1]}" --arg b "${SECRET[/hook/e1]}" --arg c "${SECRET[/hook/f1nda]}" \
    --arg d "${SECRET[/hook/fsa]}" '{"/hook/f1": $a, "/hook/e1": $b, "/hook/f1nda": $c, "/hook/fsa": $d}' >"$WORK/secrets.json"
cat >"$WORK/verify.py" <<'PY'
import base64, hashlib, hmac, json, sys
secrets = json.load(open(sys.argv[2]))
for line in open(sys.argv[1]):
    r = json.loads(line)
    body = base64.b64decode(r["body"])
    h = r["headers"]
    ts = h.get("x-cishare-timestamp", "")
    sig = h.get("x-cishare-signature", "")
    key = secrets.get(r["path"], "").encode()
    good = hmac.compare_digest(sig, "sha256=" + hmac.new(key, ts.encode() + b"." + body, hashlib.sha256).hexdigest())
    forged = hmac.compare_digest(sig, "sha256=" + hmac.new(b"not-the-secret", ts.encode() + b"." + body, hashlib.sha256).hexdigest())
    try:
        j = json.loads(body)
        adv = j["advisory"]
        print(r["path"], adv["id"], j["event"], "form" if "form" in adv else "nobody",
              "sig-ok" if good and not forged else "sig-BAD",
              "hdr-ok" if h.get("x-cishare-event") == j["event"]
                  and h.get("x-cishare-delivery", "").isdigit() and ts.isdigit() else "hdr-BAD",
              adv.get("tlp"), adv.get("identification_number"))
    except Exception as e:
        print(r["path"], "unparsable", repr(e))
PY
want_n=$(grep -c . <<<"$HOOK_WANT")
# hooks_settle N — until the receiver has N, or nothing is pending but the dead channel's
hooks_settle() {
	local i
	for i in $(seq 1 100); do
		[ "$(grep -c . "$WORK/hook.log")" -ge "$1" ] && break
		api GET "/notifications?status=pending&limit=500" "" "$ADMIN"
		[ -z "$(grep -o '"channel":[0-9]*' <<<"$BODY" | grep -v "^\"channel\":$FAILCH\$")" ] && break
		sleep 0.1
	done
	sleep 0.3    # anything unexpected arrives too
}
hooks_settle "$want_n"
python3 "$WORK/verify.py" "$WORK/hook.log" "$WORK/secrets.json" >"$WORK/hooks.txt"
for h in /hook/f1 /hook/e1 /hook/f1nda /hook/fsa; do
	eq "webhook $h: exactly the expected advisories, with the form only for GREEN/CLEAR" \
	    "$(awk -v h="$h" '$1 == h && $3 == "delivered" {print $2, $4}' "$WORK/hooks.txt" | sort -n | paste -sd'|')" \
	    "$(awk -v h="$h" '$1 == h {print $2, $3}' <<<"$HOOK_WANT" | sort -n | paste -sd'|')"
done
got_n=$(grep -c . "$WORK/hooks.txt")
ok "webhooks: the receiver got notifications ($got_n)" '[ "$got_n" -gt 0 ]'
eq "webhooks: every X-Cishare-Signature verifies (HMAC-SHA256 over timestamp.body with the channel secret)" \
    "$(grep -c ' sig-ok ' "$WORK/hooks.txt")" "$got_n"
eq "webhooks: X-Cishare-Event/-Delivery/-Timestamp headers present and consistent" \
    "$(grep -c ' hdr-ok ' "$WORK/hooks.txt")" "$got_n"
eq "webhooks: the nda user's channel got nothing for AMBER+STRICT or RED" \
    "$(grep -cE "^/hook/f1nda ($AS|$R) " "$WORK/hooks.txt")" 0
eq "webhooks: each delivered payload names the advisory's TLP and number" \
    "$(awk '$3 == "delivered" {print $2, $7, $8}' "$WORK/hooks.txt" | sort -u | sort -n | paste -sd'|')" \
    "$(for x in "$R red" "$AS amber_strict" "$A amber" "$G green" "$C clear" "$U amber"; do
        set -- $x; api GET "/advisories/$1" "" "${TOK[nisc]}"; echo "$1 $2 $(jqv .identification_number)"; done | paste -sd'|')"
api GET "/notifications?status=sent&limit=500" "" "${TOK[f1_adm]}"
eq "F1 org_admin: GET /notifications?status=sent lists the sent ones of its org (F1 org + nda user channel)" \
    "$(jqv '[.items[] | select(.status == "sent")] | length')" 9
api GET "/notifications?limit=500" "" "${TOK[f1]}"
expect_error "" 403 "GET /notifications by a plain member -> 403"

# ---- follow-ups: 'updated' events and notifications ----
api POST "/advisories/$A/followups" "{\"form\": $(mkadv amber '.threat_content.summary = "e2e advisory amber 第2報"')}" "${TOK[nisc]}"
expect_status 201 "follow-up of AMBER (same TLP) -> 201"
TA2=$(jqv .identification_number)
api POST "/advisories/$G/followups" "{\"form\": $(mkadv red '.threat_content.summary = "RED-ONLY CONTENT of the 第2報"')}" "${TOK[nisc]}"
expect_status 201 "follow-up narrowing GREEN to RED -> 201"
TG2=$(jqv .identification_number)
api GET "/advisories/$G" "" "${TOK[r1]}"
expect_error "" 404 "narrowed to RED: the railway operator (relayed GREEN) gets 404"
api GET "/advisories/$G" "" "${TOK[f1]}"
expect_error "" 404 "narrowed to RED: a finance operator gets 404"
api GET "/advisories/$G" "" "${TOK[fsa]}"
expect_status 200 "narrowed to RED: the ministry still reads it"
for i in $(seq 1 60); do grep -q "^event: updated" "$WORK/sse.fsa" && [ "$(grep -c '^event: updated' "$WORK/sse.fsa")" -ge 2 ] && break; sleep 0.05; done
sleep 0.2
for x in "fsa:updated $A,updated $G" "meti:updated $A,updated $G" "cep_f:updated $A" "f1:updated $A" "f1_nda:updated $A" \
    "e1:updated $A" "e1_nda:updated $A" "g1:" "r1:" "cas:" "jpcert:" "mlit:"; do
	s=${x%%:*}
	eq "stream of $s: 'updated' exactly for the follow-ups it may still read" \
	    "$(stream_events "$s" | grep '^updated ' | sort | paste -sd,)" "$(tr ',' '\n' <<<"${x#*:}" | grep . | sort | paste -sd,)"
done
hooks_settle $((want_n + 5))
python3 "$WORK/verify.py" "$WORK/hook.log" "$WORK/secrets.json" >"$WORK/hooks2.txt"
for h in /hook/f1 /hook/e1 /hook/f1nda /hook/fsa; do
	eq "webhook $h: one 'updated' for the AMBER follow-up, numbered $TA2, no form" \
	    "$(awk -v h="$h" -v a="$A" '$1 == h && $2 == a && $3 == "updated" {print $4, $8}' "$WORK/hooks2.txt" | paste -sd'|')" "nobody $TA2"
done
eq "webhooks: no 'updated' payload for the RED follow-up carries its form (the RED text)" \
    "$(awk -v g="$G" '$2 == g && $3 == "updated" && $4 == "form" {print $1}' "$WORK/hooks2.txt" | paste -sd,)" ""
eq "webhooks: the nda user's channel hears nothing of the RED follow-up" \
    "$(awk -v g="$G" '$1 == "/hook/f1nda" && $2 == g && $3 == "updated"' "$WORK/hooks2.txt" | grep -c .)" 0
eq "webhooks: the ministry's channel gets the RED follow-up as RED, numbered $TG2, no form" \
    "$(awk -v g="$G" '$1 == "/hook/fsa" && $2 == g && $3 == "updated" {print $4, $7, $8}' "$WORK/hooks2.txt" | paste -sd'|')" "nobody red $TG2"
eq "webhooks: every signature still verifies" "$(grep -c ' sig-ok ' "$WORK/hooks2.txt")" "$(grep -c . "$WORK/hooks2.txt")"

# a stream resumed from the start replays only what the caller may still read
curl -sN --max-time 3 -H "Authorization: Bearer ${TOK[f1_nda]}" -H "Last-Event-ID: 0" "$URL/inbox/stream" >"$WORK/sse.replay_nda" 2>/dev/null
curl -sN --max-time 3 -H "Authorization: Bearer ${TOK[e1]}" "$URL/inbox/stream?last_event_id=0" >"$WORK/sse.replay_e1" 2>/dev/null
eq "stream replay (Last-Event-ID: 0) for F1's nda user: no RED/AMBER+STRICT, not the GREEN narrowed to RED" \
    "$(stream_events replay_nda | sort | paste -sd,)" \
    "$(printf '%s\n' "delivered $A" "delivered $C" "delivered $U" "updated $A" | sort | paste -sd,)"
eq "stream replay (?last_event_id=0) for E1: AMBER+STRICT included, the narrowed GREEN not" \
    "$(stream_events replay_e1 | sort | paste -sd,)" \
    "$(printf '%s\n' "delivered $AS" "delivered $A" "delivered $U" "updated $A" | sort | paste -sd,)"

# inbox paging: limit=1 with cursors yields the same as one page
api GET "/inbox?limit=500" "" "${TOK[f1]}"
ALL=$(jqv '[.items[].id] | join(",")')
PAGED=$(pages "${TOK[f1]}" /inbox 1 '.items[].id' 20 | paste -sd,)
eq "F1 inbox: paging with limit=1 returns the same items in the same order" "$PAGED" "$ALL"
api GET "/advisories?limit=2" "" "${TOK[nisc]}"
C2=$(jqv .next_cursor)
P1=$(jqv '[.items[].id] | join(",")')
api GET "/advisories?limit=500&cursor=$C2" "" "${TOK[nisc]}"
eq "NISC advisory list: limit=2 then the cursor covers all six, newest first, once" \
    "$P1,$(jqv '[.items[].id] | join(",")')" "$(printf '%s\n' "$R" "$AS" "$A" "$G" "$C" "$U" | sort -rn | paste -sd,)"

# ---- acknowledgement and latency (AMBER tree) ----
for a in f1 f2 e1 fsa; do
	api POST "/advisories/$A/ack" "" "${TOK[$a]}"
	expect_status 200 "AMBER: $a acknowledges"
	eq "AMBER: $a's ack answer names its organisation" "$(jqv .org)" "${ORG[$a]}"
done
ACK1=$(jqv .acknowledged_at)
api POST "/advisories/$A/ack" "" "${TOK[fsa]}"
eq "AMBER: a second ack is idempotent (same acknowledged_at)" "$STATUS $(jqv .acknowledged_at)" "200 $ACK1"
api POST "/advisories/$A/ack" "" "${TOK[nisc]}"
expect_error "" 409 "AMBER: NISC (not an addressee) acks -> 409"
api POST "/advisories/$A/ack" "" "${TOK[g1]}"
expect_error "" 404 "AMBER: an operator it never reached acks -> 404"
api POST "/advisories/$AS/ack" "" "${TOK[f1_nda]}"
expect_error "" 404 "AMBER+STRICT: an nda contractor of a recipient acks -> 404"

api GET "/inbox?filter=unacknowledged&limit=500" "" "${TOK[f3]}"
eq "F3 (no ack): GET /inbox?filter=unacknowledged shows AMBER" "$(jqv "[.items[].id] | index($A) != null")" true
api GET "/inbox?filter=unacknowledged&limit=500" "" "${TOK[f1]}"
eq "F1 (acked): GET /inbox?filter=unacknowledged hides AMBER" "$(jqv "[.items[].id] | index($A) != null")" false
api GET "/inbox?filter=unread&limit=500" "" "${TOK[f3]}"
eq "F3 read everything in the matrix: GET /inbox?filter=unread is empty" "$(jqv '.items | length')" 0
api GET "/inbox?filter=unread&limit=500" "" "${TOK[r2]}"
eq "R2 (nothing delivered): unread inbox is empty" "$(jqv '.items | length')" 0

api GET "/advisories/$A" "" "${TOK[nisc]}"
TNUM=$(jqv .identification_number)
eq "AMBER (NISC): every hop, from the right sender" \
    "$(jqv '[.delivery.hops[] | "\(.org):\(.via):\(.from_org)"] | sort | join(" ")')" \
    "$(printf '%s\n' "$FSA:issue:$NISC" "$METI:issue:$NISC" "$CEP_F:relay:$FSA" "$CEP_E:relay:$METI" \
        "$F1:relay:$CEP_F" "$F2:relay:$CEP_F" "$F3:relay:$CEP_F" "$E1:relay:$CEP_E" "$E2:relay:$CEP_E" | sort | paste -sd' ')"
eq "AMBER (NISC): every hop has delivered_at and read_at, hop/read latencies are numbers >= 0" \
    "$(jqv '[.delivery.hops[] | select((.delivered_at|type) == "string" and (.read_at|type) == "string"
        and (.hop_latency_s|type) == "number" and .hop_latency_s >= 0
        and (.read_latency_s|type) == "number" and .read_latency_s >= 0)] | length')" 9
# Relaying acknowledges (issue 15): METI and both CEPTOARs relayed it.
eq "AMBER (NISC): acknowledged_at and ack_latency_s exactly on the acknowledged hops" \
    "$(jqv '[.delivery.hops[] | select((.acknowledged_at|type) == "string" and (.ack_latency_s|type) == "number"
        and .ack_latency_s >= 0) | .org] | sort | join(",")')" \
    "$(printf '%s\n' "$F1" "$F2" "$E1" "$FSA" "$METI" "$CEP_F" "$CEP_E" | sort -n | paste -sd,)"
eq "AMBER (NISC): unacknowledged lists exactly the orgs that did not ack" \
    "$(jqv '[.delivery.unacknowledged[].org] | sort | join(",")')" \
    "$(printf '%s\n' "$F3" "$E2" | sort -n | paste -sd,)"
eq "AMBER (NISC): not overdue (importance caution)" "$(jqv '[.delivery.unacknowledged[] | select(.overdue == false)] | length')" 2
eq "AMBER (NISC): summary 9 delivered, 9 read, 7 acknowledged" \
    "$(jqv '.delivery.summary | "\(.delivered) \(.read) \(.acknowledged)"')" "9 9 7"
eq "AMBER (NISC): hop latency = delivered_at(hop) - delivered_at(sender's hop) is consistent for F1" \
    "$(jqv "(.delivery.hops | map({key: (.org|tostring), value: .}) | from_entries) as \$h
        | (\$h[\"$F1\"].hop_latency_s) as \$l | (\$l >= 0 and \$l < 600)")" true
api GET "/advisories/$A" "" "${TOK[fsa]}"
eq "AMBER (FSA): its subtree only (CEP_F and its members)" \
    "$(jqv '[.delivery.hops[].org] | sort | join(",")')" "$(printf '%s\n' "$CEP_F" "$F1" "$F2" "$F3" | sort -n | paste -sd,)"
eq "AMBER (FSA): unacknowledged in its subtree" \
    "$(jqv '[.delivery.unacknowledged[].org] | sort | join(",")')" "$F3"
api GET "/advisories/$A" "" "${TOK[meti]}"
eq "AMBER (METI): its subtree only" \
    "$(jqv '[.delivery.hops[].org] | sort | join(",")')" "$(printf '%s\n' "$CEP_E" "$E1" "$E2" | sort -n | paste -sd,)"
api GET "/advisories/$A" "" "${TOK[cep_f]}"
eq "AMBER (CEP_F): its members only; F3 unacknowledged" \
    "$(jqv '([.delivery.hops[].org] | sort | join(",")) + " / " + ([.delivery.unacknowledged[].org] | join(","))')" \
    "$(printf '%s\n' "$F1" "$F2" "$F3" | sort -n | paste -sd,) / $F3"
api GET "/advisories/$A" "" "${TOK[f1]}"
eq "AMBER (F1): my_delivery shows the acknowledgement" "$(jqv '.my_delivery.acknowledged_at | type')" string

# the CLI: who has not yet acknowledged T<n>, and how long did each hop take?
cli_tree() { # TOKEN ID
	CLI_RC=0
	CISHARE_URL=http://127.0.0.1:$PORT CISHARE_TOKEN=$1 "$CISHARE" advisory tree "$2" >"$WORK/tree.out" 2>"$WORK/tree.err" || CLI_RC=$?
}
unacked_cli() { sed -n '/^not yet acknowledged:/,$p' "$WORK/tree.out" | awk 'NR > 1 {print $2}' | sort -n | paste -sd,; }
cli_tree "${TOK[nisc]}" "$A"
eq "CLI advisory tree (NISC) exits 0" "$CLI_RC" 0
ok "CLI advisory tree names $TNUM" "grep -q '^$TNUM ' '$WORK/tree.out'"
ok "CLI advisory tree prints the summary '9 delivered, 9 read, 7 acknowledged'" \
    "grep -q '^9 delivered, 9 read, 7 acknowledged' '$WORK/tree.out'"
eq "CLI advisory tree: one line per hop with its latency" "$(grep -c '  hop [0-9.]* s' "$WORK/tree.out")" 9
eq "CLI advisory tree (NISC): the not-acknowledged list" "$(unacked_cli)" \
    "$(printf '%s\n' "$F3" "$E2" | sort -n | paste -sd,)"
cli_tree "${TOK[fsa]}" "$A"
eq "CLI advisory tree (FSA): its subtree's not-acknowledged list" "$(unacked_cli)" "$F3"
cli_tree "${TOK[f1]}" "$A"
ok "CLI advisory tree (operator): refused, no delivery record" '[ "$CLI_RC" != 0 ] && grep -q "no delivery record" "$WORK/tree.err"'

# ---- the dead channel ends up failed ----
DEADQ="[.items[] | select(.channel == $FAILCH and (.event == \"delivered\" or .advisory == $A))]"
for i in $(seq 1 150); do
	api GET "/notifications?status=failed&limit=500" "" "${TOK[f2_adm]}"
	[ "$(jqv "$DEADQ | length")" -ge 5 ] && break
	sleep 0.1
done
eq "dead channel: GET /notifications?status=failed shows its 'delivered' notifications (AMBER+STRICT, AMBER, GREEN, urgent) and the AMBER follow-up's" \
    "$(jqv "$DEADQ | map(\"\\(.event) \\(.advisory)\") | sort | join(\",\")")" \
    "$(printf '%s\n' "delivered $AS" "delivered $A" "delivered $G" "delivered $U" "updated $A" | sort | paste -sd,)"
eq "dead channel: each failed after 6 attempts with a last_error" \
    "$(jqv "$DEADQ | map(select(.attempts == 6 and (.last_error|type) == \"string\" and .status == \"failed\")) | length")" 5
api GET "/notifications?status=failed&limit=500" "" "${TOK[f1_adm]}"
eq "F1 org_admin does not see F2's failures" "$(jqv "[.items[] | select(.channel == $FAILCH)] | length")" 0

cleanup_helpers
