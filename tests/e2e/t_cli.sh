#!/usr/bin/env bash
# The cishare CLI driving the same flows: org/user/token create, report
# submit (file and stdin), followup, forward, share, show, list (table and
# --json), audit verify; exit codes 1 (server refused, message on stderr),
# 2 (connection refused) and 64 (usage).  Then every filter of report list
# and user list --org, --columns, enum errors naming the allowed values,
# report template -> edit -> submit, usage printed from the option specs
# (and docs/cli.md checked against the command table), inbox --follow.
. "$(dirname "$0")/lib.sh"
start_server

# Keep the user's own config out of it.
export HOME=$WORK/home
mkdir -p "$HOME"
unset XDG_CONFIG_HOME CISHARE_CONFIG CISHARE_CACERT
export CISHARE_URL=http://127.0.0.1:$PORT

# cli TOKEN ARGS... -> CLI_RC, CLI_OUT, CLI_ERR (stdin passes through)
cli() {
	local tok=$1
	shift
	CLI_RC=0
	CISHARE_TOKEN=$tok "$CISHARE" "$@" >"$WORK/cli.out" 2>"$WORK/cli.err" || CLI_RC=$?
	CLI_OUT=$(cat "$WORK/cli.out")
	CLI_ERR=$(cat "$WORK/cli.err")
	LAST="cishare $*"
	STATUS="exit $CLI_RC"
	BODY="stdout: ${CLI_OUT:0:300} | stderr: ${CLI_ERR:0:300}"
	printf 'cishare %s -> %s | %s | %s\n' "$*" "$CLI_RC" "${CLI_OUT:0:200}" "${CLI_ERR:0:200}" >>"$WORK/requests.log"
}
# cli_ok DESC REGEX — exit 0 and stdout matches REGEX (extended)
cli_ok() {
	if [ "$CLI_RC" == 0 ] && grep -qE -- "$2" <<<"$CLI_OUT"; then
		pass "$1"
	else
		fail "$1" "want exit 0 and stdout ~ /$2/; $(last_req)"
	fi
}
# cli_err DESC CODE REGEX — exit CODE and stderr matches REGEX
cli_err() {
	if [ "$CLI_RC" == "$2" ] && grep -qE -- "$3" <<<"$CLI_ERR"; then
		pass "$1"
	else
		fail "$1" "want exit $2 and stderr ~ /$3/; $(last_req)"
	fi
}
# id from "org 7" / "user 9" / "report 3 ..."
second() { awk '{print $2; exit}' <<<"$CLI_OUT"; }

# ---- admin work through the CLI ----
cli "$ADMIN" org create "C NISC" nisc
cli_ok "org create nisc -> 'org <id>'" '^org [0-9]+$'
NISC=$(second)
cli "$ADMIN" org create "C 金融庁" ci_ministry --sector finance
cli_ok "org create ci_ministry --sector finance" '^org [0-9]+$'
MIN=$(second)
cli "$ADMIN" org create "C 銀行等CEPTOAR" ceptoar_secretariat --sector finance
CEP=$(second)
cli "$ADMIN" org create "C みなと銀行" ci_operator --sector finance --ceptoar "$CEP"
cli_ok "org create ci_operator --ceptoar" '^org [0-9]+$'
OP=$(second)
cli "$ADMIN" org create "C CAS" cas_crisis_management
CAS=$(second)
cli "$ADMIN" org create "C cyber business" cyberspace_business
CB=$(second)
cli "$ADMIN" org show "$OP"
eq "org show prints the org's JSON with its CEPTOAR" "$(jq -r '"\(.type) \(.ceptoar)"' <<<"$CLI_OUT")" "ci_operator $CEP"
cli "$ADMIN" org list --all
cli_ok "org list prints a table with the new org" "^$OP +ci_operator +C みなと銀行"

mkcli_user() { # ORG LOGIN ROLES -> token
	cli "$ADMIN" user create "$1" "$2" --role "$3" --name "CLI $2"
	[ "$CLI_RC" == 0 ] || { fail "setup: cishare user create $2" "$(last_req)"; return 1; }
	local uid
	uid=$(second)
	cli "$ADMIN" token create "$uid" --label e2e
	[ "$CLI_RC" == 0 ] || { fail "setup: cishare token create $uid" "$(last_req)"; return 1; }
	printf '%s' "$CLI_OUT"
}
T_NISC=$(mkcli_user "$NISC" c-nisc analyst)
T_MIN=$(mkcli_user "$MIN" c-fsa liaison)
T_CEP=$(mkcli_user "$CEP" c-cep poc)
T_OP=$(mkcli_user "$OP" c-op member,poc)
ok "token create prints only the token" '[[ $T_OP =~ ^[[:graph:]]+$ ]]'
printf '%s\n' "pw-for-cli-user-1" | CISHARE_TOKEN=$ADMIN "$CISHARE" user create "$OP" c-op-pw --role member --password - >"$WORK/o" 2>&1
ok "user create --password - reads the password from stdin" 'grep -qE "^user [0-9]+$" "$WORK/o"'
api POST /login '{"login":"c-op-pw","password":"pw-for-cli-user-1"}' ""
expect_status 201 "the stdin password logs in"

cli "$T_OP" me
eq "me prints the caller's JSON" "$(jq -r .login <<<"$CLI_OUT")" c-op
cli "$T_OP" sectors
eq "sectors prints 15 sectors" "$(jq '.items | length' <<<"$CLI_OUT")" 15
cli "$T_OP" taxonomy
eq "taxonomy prints 8 event types" "$(jq '.event_types | length' <<<"$CLI_OUT")" 8

# ---- direct route ----
mkform amber finance '.overview.event_summary = "CLI 第1報\n2行目"' >"$WORK/form1.json"
mkform amber finance '.overview.event_summary = "CLI 第2報 駆除完了"' >"$WORK/form2.json"
cli "$T_OP" report submit "$WORK/form1.json" --route direct --legal-duty
cli_ok "report submit FILE (form only) --route direct" '^report [0-9]+ version 1 state at_ministry$'
D=$(second)
api GET "/reports/$D" "" "$T_OP"
eq "--legal-duty reached the server" "$(jqv .legal_duty)" true
cli "$T_OP" report followup "$D" "$WORK/form2.json"
cli_ok "report followup ID FILE -> 'report <id> version 2'" "^report $D version 2$"
cli "$T_MIN" report forward "$D"
cli_ok "report forward by the liaison -> at_nisc R1" "^report $D state at_nisc identification_number R1$"
cli "$T_MIN" report forward "$D"
cli_err "forwarding twice exits 1 with the server's 409" 1 '^cishare: error: .*HTTP 409\)$'
cli "$T_NISC" report share "$D" "$CAS"
cli_ok "report share ID ORG (※1 by NISC)" "^report $D shared with $CAS$"
cli "$T_NISC" report share "$D" "$CB"
cli_err "sharing outside the ceiling exits 1 naming field and status" 1 '^cishare: error: .+ \(field: to\.0, HTTP 403\)$'

cli "$T_NISC" report show "$D"
cli_ok "report show: id line" "^id +$D$"
cli_ok "report show: identification_number R1" '^identification_number +R1$'
cli_ok "report show: state at_nisc" '^state +at_nisc$'
cli_ok "report show: route direct" '^route +direct$'
cli_ok "report show: tlp amber" '^tlp +amber$'
cli_ok "report show: sector finance" '^sector +finance$'
cli_ok "report show: version 1 block with R1" '^version 1 +identification_number R1 +submitted_at [0-9]{4}-'
cli_ok "report show: version 2 block with R1-2" '^version 2 +identification_number R1-2 +submitted_at '
cli_ok "report show: event type line" '^  event type +event_malware_infection$'
cli_ok "report show: multi-line summary" '^  summary +CLI 第1報$'
cli "$T_NISC" --json report show "$D"
eq "report show --json prints the server's JSON" "$(jq -r '[.id, .versions[1].identification_number] | join(" ")' <<<"$CLI_OUT")" "$D R1-2"

# ---- via_ceptoar, whole body from stdin ----
jq -nc --argjson f "$(mkform green finance)" '{route: "via_ceptoar", legal_duty: false, form: $f}' >"$WORK/body.json"
CISHARE_TOKEN=$T_OP "$CISHARE" report submit - <"$WORK/body.json" >"$WORK/o" 2>"$WORK/e"; RC=$?
ok "report submit - (whole body on stdin) -> at_ceptoar" '[ $RC == 0 ] && grep -qE "^report [0-9]+ version 1 state at_ceptoar$" "$WORK/o"'
VC=$(awk '{print $2}' "$WORK/o")
cli "$T_CEP" report forward "$VC" --dry-run
cli_ok "report forward --dry-run lists the redactions and prints the form" "^version 1: [0-9]+ redaction"
eq "the dry run printed the form the ministry would get" "$(sed -n '/^{/,$p' <<<"$CLI_OUT" | jq -r '.sector')" "finance"
cli "$T_CEP" report forward "$VC"
cli_err "one member operator: the CLI warns and does not forward" 1 "only 1 member operator"
ok "the warning names --confirm-small-set" 'grep -q -- --confirm-small-set <<<"$CLI_ERR"'
eq "after the refused forward the report is still at the CEPTOAR" "$(curl -s -H "Authorization: Bearer $T_CEP" "$URL/reports/$VC" | jq -r .state)" "at_ceptoar"
cli "$T_CEP" report forward "$VC" --confirm-small-set
cli_ok "the secretariat forwards with the CLI -> at_ministry" "^report $VC state at_ministry identification_number -$"
printf '{"form": {"impact": {"supplementary_info": "所管省庁で補完"}}}' >"$WORK/complete.json"
cli "$T_MIN" report forward "$VC" "$WORK/complete.json"
cli_ok "the ministry forwards with a completion file -> R2" "^report $VC state at_nisc identification_number R2$"
api GET "/reports/$VC" "" "$T_NISC"
eq "the completion reached NISC" "$(jqv '.versions[0].form.impact.supplementary_info')" "所管省庁で補完"

cli "$T_OP" report submit "$WORK/form1.json" --route via_ceptoar --legal-duty
cli_err "via_ceptoar --legal-duty exits 1 with field route, HTTP 400" 1 '^cishare: error: .+ \(field: route, HTTP 400\)$'
cli "$T_OP" report submit "$WORK/form1.json" --extra "$CB"
cli_ok "report submit --extra ORG" '^report [0-9]+ version 1 state at_ministry$'
X=$(second)
api GET "/reports/$X" "" "$T_OP"
eq "--extra became extra_recipients" "$(jqv '.extra_recipients | join(",")')" "$CB"

# ---- list ----
cli "$T_NISC" report list
cli_ok "report list prints the table header" '^ID +IDENT +STATE +ROUTE +TLP +SECTOR +VER +UPDATED$'
cli_ok "report list has the direct report with R1" "^$D +R1 +at_nisc +direct +amber +finance +2 "
cli_ok "report list has the via_ceptoar report with R2" "^$VC +R2 +at_nisc +via_ceptoar +green +finance +1 "
cli "$T_NISC" report list --json
eq "report list --json prints items with both reports" "$(jq -c '[.items[].id] | sort' <<<"$CLI_OUT")" "$(jq -nc "[$D, $VC] | sort")"
cli "$T_NISC" report list --limit 1
ok "report list --limit 1 prints one row and a cursor hint on stderr" \
    '[ "$CLI_RC" == 0 ] && [ "$(grep -cE "^[0-9]+ " <<<"$CLI_OUT")" == 1 ] && grep -q "cursor" <<<"$CLI_ERR"'
cli "$T_NISC" report list --limit 1 --all --json
eq "report list --limit 1 --all follows every page" "$(jq '.items | length' <<<"$CLI_OUT")" 2
cli "$T_NISC" report list --sector electricity --json
eq "report list --sector filters" "$(jq '.items | length' <<<"$CLI_OUT")" 0
cli "$T_NISC" report list --q "所管省庁で補完" --json
eq "report list --q with Japanese text is URL-escaped and finds the report" "$(jq -c '[.items[].id]' <<<"$CLI_OUT")" "[$VC]"
cli "$T_OP" report list --json
eq "the operator's list has its two identified reports" "$(jq '.items | length' <<<"$CLI_OUT")" 2
cli "$T_OP" report list --anonymised --json
eq "report list --anonymised has the one it filed through its CEPTOAR" "$(jq '.items | length' <<<"$CLI_OUT")" 1

# ---- audit ----
cli "$ADMIN" audit verify
cli_ok "audit verify (admin) -> intact" '^audit log intact: [0-9]+ entries$'
cli "$T_NISC" audit --limit 5
cli_ok "audit (NISC) prints a table" 'SEQ +TIME +USER +ORG +ACTION +ITEM'
cli "$T_OP" audit verify
cli_err "audit verify by an operator exits 1 with HTTP 403" 1 'HTTP 403\)$'

# ---- errors ----
cli "$T_OP" report show 999999
cli_err "report show of a missing report exits 1 with HTTP 404" 1 '^cishare: error: .*HTTP 404\)$'
cli "" report list
cli_err "no token -> exit 1 with HTTP 401" 1 'HTTP 401'
cli_err "no token -> a hint to configure one" 1 'no token configured'
cli "$T_OP" report submit "$WORK/nope.json"
cli_err "a missing file exits 1" 1 'nope.json'
printf '{"tlp": "amber",' >"$WORK/broken.json"
cli "$T_OP" report submit "$WORK/broken.json"
cli_err "an invalid JSON file exits 1" 1 'broken.json'
printf '{"tlp": "amber", "tlp": "red", "sector": "finance", "has_attachment": "no"}' >"$WORK/dup.json"
cli "$T_OP" report submit "$WORK/dup.json"
cli_err "a file with duplicate keys exits 1" 1 'dup.json'
mkform amber finance '.bogus = 1' >"$WORK/unknown.json"
cli "$T_OP" report submit "$WORK/unknown.json"
cli_err "an unknown form field exits 1 naming form.bogus" 1 '\(field: form\.bogus, HTTP 400\)$'
cli "$T_OP" --url http://127.0.0.1:1 me
cli_err "connection refused exits 2" 2 '^cishare: cannot talk to server at http://127\.0\.0\.1:1/api/v1'
cli "$T_OP" report show abc
cli_err "a bad id is a usage error (64)" 64 '.'
cli "$T_OP" frobnicate
cli_err "an unknown command is a usage error (64)" 64 'unknown command'
cli "$T_OP" report submit "$WORK/form1.json" --route carrier_pigeon
cli_err "a bad --route is a usage error (64)" 64 'route'

# ---- list filters (every query parameter of GET /reports) ----
cli "$T_NISC" report list --tlp green --json
eq "report list --tlp green filters" "$(jq -c '[.items[].id]' <<<"$CLI_OUT")" "[$VC]"
cli "$T_NISC" report list --tlp AMBER --json
eq "report list --tlp takes the TLP 2.0 name (AMBER)" "$(jq -c '[.items[].id]' <<<"$CLI_OUT")" "[$D]"
cli "$T_NISC" report list --event-type event_malware_infection --cause cause_suspicious_email_received --importance caution --json
eq "report list --event-type --cause --importance filter" "$(jq '.items | length' <<<"$CLI_OUT")" 2
cli "$T_NISC" report list --importance alert --json
eq "report list --importance alert lists none (both are caution)" "$(jq '.items | length' <<<"$CLI_OUT")" 0
cli "$T_NISC" report list --cause cause_unknown --json
eq "report list --cause with no match lists none" "$(jq '.items | length' <<<"$CLI_OUT")" 0
cli "$T_NISC" report list --until 2000-01-01T00:00:00+09:00 --json
eq "report list --until before everything lists none" "$(jq '.items | length' <<<"$CLI_OUT")" 0
cli "$T_NISC" report list --since 2000-01-01T00:00:00+09:00 --until 2999-01-01T00:00:00+09:00 --json
eq "report list --since --until around everything lists all" "$(jq '.items | length' <<<"$CLI_OUT")" 2
cli "$ADMIN" user list --org "$OP"
cli_ok "user list --org prints the org's users" "^[0-9]+ +$OP +c-op +CLI c-op +member,poc "
cli "$ADMIN" user list --org "$OP" --json
eq "user list --org --json lists only that org" "$(jq -c '[.items[].org] | unique' <<<"$CLI_OUT")" "[$OP]"

cli "$T_NISC" report list --columns 'ID=id NO=identification_number SUMMARY=form.overview.event_summary%line20 WHEN=updated_at%time'
cli_ok "report list --columns prints the columns asked for" "^ID +NO +SUMMARY +WHEN$"
cli_ok "--columns: paths and formats" "^$D +R1 +[^ ].* +[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}$"
cli "$T_NISC" report list --columns ' '
cli_err "--columns without a column is a usage error" 64 '^cishare: --columns: no column'

# ---- enum errors name the allowed values ----
cli "$T_NISC" report list --tlp purple
cli_err "--tlp purple is a usage error naming the TLP levels" 64 '^cishare: --tlp purple: allowed: RED, AMBER\+STRICT, AMBER, GREEN, CLEAR$'
cli "$T_NISC" report list --sector mars
cli_err "--sector mars names the sectors" 64 '^cishare: --sector mars: allowed: ict, finance, .*, port$'
cli "$T_OP" report submit "$WORK/form1.json" --route carrier_pigeon
cli_err "--route carrier_pigeon names the routes" 64 '^cishare: --route carrier_pigeon: allowed: direct, via_ceptoar, urgent$'
cli "$ADMIN" notifications --status lost
cli_err "--status lost names the states" 64 '^cishare: --status lost: allowed: failed, pending, sent$'
mkform purple finance >"$WORK/purple.json"
cli "$T_OP" report submit "$WORK/purple.json"
cli_err "a form value the server refuses: its allowed values follow" 1 '^cishare: form\.tlp: allowed: red, amber_strict, amber, green, clear$'
mkform amber finance '.cause_types = ["cause_bogus"]' >"$WORK/cause.json"
cli "$T_OP" report submit "$WORK/cause.json"
cli_err "a refused item of a list of values: the list's values follow" 1 '^cishare: form\.cause_types\.0: allowed: cause_suspicious_email_received, .*, cause_unknown$'

# ---- report template -> edit -> submit ----
cli "" report template
cli_ok "report template needs no server or token" '"form": \{'
eq "report template prints valid JSON" "$(jq -r '.route + " " + (.legal_duty|tostring)' <<<"$CLI_OUT")" "direct false"
eq "report template has every top-level field of the 様式" "$(jq -c '.form | keys_unsorted | length' <<<"$CLI_OUT")" 17
printf '%s\n' "$CLI_OUT" >"$WORK/tpl.json"
cli "$T_OP" report submit "$WORK/tpl.json"
cli_err "an unedited template is refused locally, naming the field and values" 1 'form\.tlp is not filled in; allowed: red, amber_strict, amber, green, clear$'
jq '.form.tlp = "amber" | .form.has_attachment = "no" | .form.sector = "finance"
    | .form.overview.event_summary = "テンプレートから"' "$WORK/tpl.json" >"$WORK/tpl-edited.json"
cli "$T_OP" report submit "$WORK/tpl-edited.json"
cli_ok "template -> edit -> submit is accepted (every field known to the server)" '^report [0-9]+ version 1 state at_ministry$'
cli "" report template --commented
cli_ok "report template --commented has // lines with the 様式's labels" '^    // 情報共有範囲: required, one of$'
cli_ok "report template --commented lists the allowed values" '^    //   amber_strict +AMBER\+STRICT = '
sed -e 's/"<choose: red|[^"]*>"/"green"/' -e 's/"<choose: yes|no>"/"no"/' \
    -e 's/"<choose: ict|[^"]*>"/"water"/' <<<"$CLI_OUT" >"$WORK/tpl-commented.json"
cli "$T_OP" report submit "$WORK/tpl-commented.json" --route direct
cli_ok "the edited --commented template submits (comment lines skipped)" '^report [0-9]+ version 1 state at_ministry$'
TPL=$(second)
api GET "/reports/$TPL" "" "$T_OP"
eq "the commented template's choices reached the server" "$(jqv '[.tlp, .sector] | join(" ")')" "green water"
CISHARE_TOKEN=$T_OP "$CISHARE" report submit - <"$WORK/tpl-commented.json" >"$WORK/o" 2>"$WORK/e"; RC=$?
ok "a commented template on stdin submits too" '[ $RC == 0 ] && grep -qE "^report [0-9]+ version 1" "$WORK/o"'

# ---- usage is generated from the option specs ----
cli "" report list --help
for o in sector event-type cause tlp importance since until q anonymised limit cursor all; do
	cli_ok "report list --help names --$o" "^        --$o( |$)"
done
cli "" help
cli_ok "help lists report template" '^  cishare report template '
cli_ok "help lists user list" '^  cishare user list '
cli "" report list --bogus
cli_err "an unknown option is a usage error with the usage" 64 '^  cishare report list \[--sector SECTOR\]'
DOC=$E2E_DIR/../../docs/cli.md
missing=
while read -r w1 w2 w3 rest; do
	cmd="$w2"
	[[ $w3 =~ ^[a-z]+$ ]] && cmd="$w2 $w3"
	grep -qF "cishare $cmd" "$DOC" || missing+=" [$cmd]"
done < <("$CISHARE" help | grep -E '^  cishare [a-z]')
ok "docs/cli.md shows every command of the table${missing:+ (missing:$missing)}" '[ -z "$missing" ]'

# ---- inbox --follow (follow.c) ----
mkadv amber >"$WORK/adv.json"
CISHARE_TOKEN=$T_OP "$CISHARE" --json inbox --follow --last-event-id 0 --max-events 1 --timeout 60 \
    >"$WORK/follow.out" 2>"$WORK/follow.err" &
FOLLOW=$!
cli "$T_NISC" advisory create "$WORK/adv.json" --urgent
cli_ok "advisory create --urgent (NISC)" '^advisory [0-9]+ T[0-9]+ version 1 state issued$'
ADV=$(second)
wait "$FOLLOW"
FRC=$?
ok "inbox --follow --json --max-events 1 prints the delivery as one JSON line and exits 0" \
    '[ "$FRC" == 0 ] && [ "$(jq -c "[.id, .urgent]" "$WORK/follow.out")" == "[$ADV,true]" ]'
cli "$T_OP" inbox --follow --limit 5
cli_err "inbox --follow with paging is a usage error" 64 'no filters or paging'
cli "$T_OP" inbox --timeout 5
cli_err "a --follow option without --follow is a usage error" 64 '^cishare: --timeout needs --follow$'
