#!/usr/bin/env bash
# Backup and restore (issue #5 item 4).  A database populated through the
# API (organisations, users, direct, anonymised and urgent reports with
# follow-ups and forwards, shares, advisories with relays and acks, widening
# requests, notification channels) is backed up online with `cishared
# backup` while a writer keeps filing reports, and restored with `cishared
# restore` into a fresh path with the same key file.  A server on the
# restored copy must answer every read of nine principals exactly as the
# original did just before the backup (lists cut at the last id and audit
# seq known then), every report acknowledged before the backup began must be
# there, and the audit chain must verify.  Restore refuses to overwrite
# without --force, to replace a database a server has open, a truncated or
# corrupted backup and a key file of another deployment; a copy restored
# without its key file does not serve under another key.  Finally a
# quiescent backup restores to an identical SQL dump.
. "$(dirname "$0")/lib.sh"
start_server

if [ "$CS_STORE" == pg ]; then
	db_keyargs "$DB"
	out=$("$CISHARED" backup --db "$(db_url "$DB")" --out "$WORK/b.db" 2>&1)
	rc=$?
	ok "PostgreSQL: cishared backup refuses and names pg_dump --format=custom" \
	    '[ "$rc" != 0 ] && [[ $out == *"pg_dump --format=custom"* ]] && [ ! -e "$WORK/b.db" ]'
	require_backend sqlite "cishared backup/restore copy SQLite files"
fi

# ---- population -------------------------------------------------------------
ref_orgs NISC=nisc FSA=ci_ministry:finance METI=ci_ministry:electricity
ok "setup: init made NISC and the finance and electricity ministries" \
    "[ $NISC -gt 0 ] && [ $FSA -gt 0 ] && [ $METI -gt 0 ]"
orgs "B " <<'EOF'
CEP_F	ceptoar_secretariat	["finance"]	-	銀行等CEPTOAR
OP1	ci_operator		["finance"]	CEP_F	みなと銀行
OP2	ci_operator		["finance"]	CEP_F	さくら信金
OPE	ci_operator		["electricity"]	-	東都電力
OPW	ci_operator		["finance"]	-	writer bank
EOF
declare -A TOK
TOK[admin]=$ADMIN
tokens <<'EOF'
TOK[nisc]	NISC	b-nisc		analyst
TOK[nisc_ap]	NISC	b-nisc-ap	approver
TOK[fsa]	FSA	b-fsa		liaison
TOK[meti]	METI	b-meti		liaison
TOK[cep]	CEP_F	b-cep		poc
TOK[op1]	OP1	b-op1		member
TOK[op1_adm]	OP1	b-op1-adm	org_admin
TOK[op2]	OP2	b-op2		member
TOK[ope]	OPE	b-ope		member
T_W		OPW	b-writer	member
EOF
PRINCIPALS=(admin nisc nisc_ap fsa meti cep op1 op1_adm op2 ope)
api PATCH "/orgs/$OP1" '{"identifiers": ["minato-bank.example"]}' "${TOK[op1_adm]}"
expect_status 200 "setup: org_admin sets its organisation's identifiers"

# reports: direct with follow-ups, anonymised via the CEPTOAR, urgent, shared
RD=$(submit "${TOK[op1]}" direct "$(mkform amber finance '.overview.event_summary = "backup direct"')")
followup "${TOK[op1]}" "$RD" "$(mkform amber finance '.overview.event_summary = "backup direct 2"')" >/dev/null
forward "${TOK[fsa]}" "$RD"
followup "${TOK[op1]}" "$RD" "$(mkform amber finance '.overview.event_summary = "backup direct 3"')" >/dev/null
forward "${TOK[fsa]}" "$RD"
RA=$(submit "${TOK[op1]}" via_ceptoar "$(mkform amber finance '.overview.event_summary = "backup anonymised"')")
forward "${TOK[cep]}" "$RA"
forward "${TOK[fsa]}" "$RA"
RU=$(submit "${TOK[ope]}" urgent "$(mkform red electricity '.overview.event_summary = "backup urgent"')" true)
followup "${TOK[ope]}" "$RU" "$(mkform red electricity '.overview.event_summary = "backup urgent 2"')" >/dev/null
RG=$(submit "${TOK[op2]}" direct "$(mkform green finance '.overview.event_summary = "backup green"')")
forward "${TOK[fsa]}" "$RG"
api POST "/reports/$RG/share" "{\"to\": [$OP1]}" "${TOK[nisc]}"
expect_status 200 "setup: NISC shares a GREEN report with another operator"
submit "${TOK[op2]}" direct "$(mkform amber finance)" >/dev/null	# stays at the ministry

# advisories: relayed down and acknowledged; an urgent one; a pending 警報
A1=$(adv_issue "${TOK[nisc]}" "$(mkadv amber '.recipients = [{"sector": "finance"}]')" false ".related_reports = [$RD]")
api POST "/advisories/$A1/relay" "{\"to\": [$CEP_F]}" "${TOK[fsa]}"
expect_status 200 "setup: the ministry relays to its CEPTOAR"
api POST "/advisories/$A1/relay" "{\"to\": [$OP1, $OP2]}" "${TOK[cep]}"
expect_status 200 "setup: the CEPTOAR relays to its members"
for p in op1 fsa cep; do
	api POST "/advisories/$A1/ack" "" "${TOK[$p]}"
	expect_status 200 "setup: $p acknowledges"
done
A2=$(adv_issue "${TOK[nisc]}" "$(mkadv green)" true)
api POST "/advisories/$A2/ack" "" "${TOK[ope]}"
expect_status 200 "setup: an operator acknowledges the urgent advisory"
api POST /advisories "{\"form\": $(mkadv amber '.importance = "alert"')}" "${TOK[nisc]}"
expect_status 201 "setup: a 警報 awaiting approval"
api POST "/advisories/$A1/followups" "{\"form\": $(mkadv amber '.recipients = [{"sector": "finance"}] | .countermeasures = "patch and rotate keys"')}" "${TOK[nisc]}"
expect_status 201 "setup: an advisory follow-up"

# widening requests: one approved by the source, one refused by the
# anonymised report's secretariat, one pending
api POST "/reports/$RD/widening-requests" '{"tlp": "green", "sectors": ["finance", "electricity"], "reason": "wider"}' "${TOK[nisc]}"
expect_status 201 "setup: a widening request"
W1=$(jqv .id)
api POST "/widening-requests/$W1/approve" "" "${TOK[op1]}"
expect_status 200 "setup: the source approves it"
api POST "/reports/$RA/widening-requests" '{"tlp": "green", "reason": "anon"}' "${TOK[nisc]}"
W2=$(jqv .id)
api POST "/widening-requests/$W2/refuse" "" "${TOK[cep]}"
expect_status 200 "setup: the secretariat refuses one for the anonymised report"
api POST "/reports/$RG/widening-requests" '{"tlp": "clear", "reason": "pending"}' "${TOK[nisc]}"
expect_status 201 "setup: a pending widening request"

# notification channels last, so that no notification is in flight
api POST /notification-channels "{\"kind\": \"email\", \"target\": \"soc@minato-bank.example\", \"org\": $OP1}" "${TOK[op1_adm]}"
expect_status 201 "setup: an e-mail channel"
api POST /notification-channels "{\"kind\": \"webhook\", \"target\": \"http://127.0.0.1:9/hook\", \"org\": $OP1}" "${TOK[op1_adm]}"
expect_status 201 "setup: a webhook channel"
api POST "/notification-channels/$(jqv .id)/disable" "" "${TOK[op1_adm]}"
expect_status 200 "setup: the webhook channel disabled"

# ---- the reads compared ---------------------------------------------------------

# get_to FILE PATH TOKEN [JQ] — "STATUS" then the body, sorted keys, through JQ
get_to() {
	api GET "$2" "" "$3"
	{
		echo "$STATUS"
		jq -S "${4:-.}" <<<"$BODY" 2>/dev/null || printf '%s\n' "$BODY"
	} >"$1"
}

# snapshot DIR — every read of every principal, one file per call; list
# items above report id $MAXR and audit entries above seq $MAXSEQ left out
# (0: none left out); the audit entries' maximum seq goes to DIR/maxseq.
snapshot() {
	local dir=$1 p t id cur
	local cut="if (.items|type) == \"array\" and $MAXR > 0
	    then .items |= map(select(.id <= $MAXR)) else . end"
	mkdir -p "$dir"
	for p in "${PRINCIPALS[@]}"; do
		t=${TOK[$p]}
		get_to "$dir/$p.me" /me "$t"
		get_to "$dir/$p.orgs" "/orgs?limit=500" "$t"
		get_to "$dir/$p.reports" "/reports?limit=500" "$t" "$cut"
		get_to "$dir/$p.reports-mine" "/reports?limit=500&anonymised=mine" "$t" "$cut"
		for id in $(cat "$dir/$p.reports" "$dir/$p.reports-mine" |
		    jq -r '.items[]?.id' 2>/dev/null | sort -un); do
			get_to "$dir/$p.report.$id" "/reports/$id" "$t"
		done
		get_to "$dir/$p.advisories" "/advisories?limit=500" "$t"
		for id in $(jq -r '.items[]?.id' "$dir/$p.advisories" 2>/dev/null | sort -un); do
			get_to "$dir/$p.advisory.$id" "/advisories/$id" "$t"
		done
		get_to "$dir/$p.inbox" "/inbox?limit=500" "$t"
		get_to "$dir/$p.widening" "/widening-requests?limit=500" "$t"
		get_to "$dir/$p.channels" "/notification-channels" "$t"
	done
	get_to "$dir/orgs.op1" "/orgs/$OP1" "${TOK[op1_adm]}"
	get_to "$dir/users.op1" "/users?org=$OP1" "$ADMIN"
	# the audit log, oldest first, page by page
	: >"$dir/audit.jsonl"
	cur=
	while :; do
		api GET "/audit?limit=500${cur:+&cursor=$cur}" "" "$ADMIN"
		[ "$STATUS" == 200 ] || { echo "HTTP $STATUS" >>"$dir/audit.jsonl"; break; }
		jqv ".items[] | select($MAXSEQ == 0 or .seq <= $MAXSEQ)" | jq -cS . >>"$dir/audit.jsonl"
		cur=$(jqv '.next_cursor // empty')
		[ -n "$cur" ] || break
	done
	jq -s 'map(.seq) | max // 0' "$dir/audit.jsonl" >"$dir/maxseq"
	get_to "$dir/verify" /audit/verify "$ADMIN" '{ok}'
}

MAXR=0
MAXSEQ=0
snapshot "$WORK/warm"	# first reads set read_at; the compared pass comes next
MAXR=$(db_sql 'SELECT max(id) FROM reports')
snapshot "$WORK/before"
MAXSEQ=$(cat "$WORK/before/maxseq")
NFILES=$(ls "$WORK/before" | wc -l)
ok "before the backup: $NFILES reads recorded, audit up to seq $MAXSEQ, reports up to id $MAXR" \
    '[ "$NFILES" -gt 100 ] && [ "$MAXSEQ" -gt 100 ]'
eq "before the backup: the audit chain verifies" "$(tail -n +2 "$WORK/before/verify" | jq -c . 2>/dev/null)" '{"ok":true}'

# ---- online backup under a writer ----------------------------------------------
WFORM=$(mkform amber finance '.overview.event_summary = "written during the backup"' |
    jq -c '{route: "direct", legal_duty: false, form: .}')
printf '%s' "$WFORM" >"$WORK/w.json"
writer() {
	local st
	: >"$WORK/w.acks"
	while [ ! -e "$WORK/w.stop" ] && [ -e "$WORK/w.json" ]; do
		st=$(curl -s -o "$WORK/w.resp" -w '%{http_code}' --max-time 30 -X POST \
		    -H "Authorization: Bearer $T_W" -H 'Content-Type: application/json' \
		    --data-binary "@$WORK/w.json" "$URL/reports" 2>/dev/null)
		if [ "$st" == 201 ] && [[ $(<"$WORK/w.resp") =~ \"id\":([0-9]+) ]]; then
			echo "${BASH_REMATCH[1]}" >>"$WORK/w.acks"
		else
			echo "$st" >>"$WORK/w.errors"
		fi
	done
}
writer &
WRITER=$!
for i in $(seq 1 100); do
	[ "$(wc -l <"$WORK/w.acks" 2>/dev/null || echo 0)" -ge 10 ] && break
	sleep 0.1
done
PRE=$(wc -l <"$WORK/w.acks")
ok "the writer is filing reports when the backup starts ($PRE so far)" '[ "$PRE" -ge 10 ]'
t0=$(date +%s%N)
BOUT=$("$CISHARED" backup --db "$DB" --out "$WORK/backup.db" 2>"$WORK/backup.err")
BRC=$?
t1=$(date +%s%N)
sleep 0.5
touch "$WORK/w.stop"
wait "$WRITER"
POST=$(wc -l <"$WORK/w.acks")
BSIZE=$(stat -c %s "$WORK/backup.db" 2>/dev/null || echo 0)
BMS=$(((t1 - t0) / 1000000))
eq "cishared backup (online, under the writer) exits 0" "$BRC" 0
eq "it prints the file, its size and the integrity check" "$BOUT" \
    "backup: $WORK/backup.db ($BSIZE bytes, integrity ok)"
ok "the writer kept going during and after the backup ($PRE before, $POST at the end)" \
    '[ "$POST" -gt "$PRE" ] && [ ! -s "$WORK/w.errors" ]'
eq "the backup file is private (mode 600)" "$(stat -c %a "$WORK/backup.db")" 600
ok "no temporary file is left beside it" '[ -z "$(ls "$WORK" | grep -F "backup.db.tmp")" ]'
stop_server

# ---- restore: refusals ------------------------------------------------------------
R=$WORK/restored.db
cp "$DB.key" "$R.key"
ROUT=$("$CISHARED" restore --in "$WORK/backup.db" --db "$R" 2>"$WORK/restore.err")
eq "cishared restore into a fresh path exits 0" "$?" 0
eq "it reports the copy and the integrity check" "$(head -1 <<<"$ROUT")" \
    "restore: $WORK/backup.db -> $R ($BSIZE bytes, integrity ok)"
eq "it checked the key file beside it" "$(sed -n 2p <<<"$ROUT")" "key file: $R.key belongs to this database"
HR=$(sha256sum <"$R")

# restore_refused DESC EXPECTED_MESSAGE_PART ARGS... — exit 1, message on stderr
restore_refused() {
	local desc=$1 want=$2 out rc=0
	shift 2
	out=$("$CISHARED" restore "$@" 2>&1) || rc=$?
	if [ "$rc" == 1 ] && [[ $out == *"$want"* ]]; then
		pass "$desc"
	else
		fail "$desc" "rc=$rc out=$out"
	fi
}
restore_refused "restore refuses to overwrite an existing database without --force" \
    "restore replaces a database only with --force" --in "$WORK/backup.db" --db "$R"
eq "and the database is untouched" "$(sha256sum <"$R")" "$HR"

head -c "$((BSIZE / 2))" "$WORK/backup.db" >"$WORK/truncated.db"
restore_refused "a truncated backup is refused" "" --in "$WORK/truncated.db" --db "$WORK/t1.db"
ok "and nothing is created" '[ ! -e "$WORK/t1.db" ] && [ -z "$(ls "$WORK" | grep -F t1.db.tmp)" ]'

cp "$WORK/backup.db" "$WORK/corrupt.db"
PGSZ=$(sqlite3 "$WORK/backup.db" 'PRAGMA page_size')
ROOT=$(sqlite3 "$WORK/backup.db" "SELECT rootpage FROM sqlite_master WHERE name = 'report_versions'")
dd if=/dev/zero of="$WORK/corrupt.db" bs="$PGSZ" seek="$((ROOT - 1))" count=1 conv=notrunc 2>/dev/null
restore_refused "a backup with a zeroed b-tree page is refused (integrity check)" "" \
    --in "$WORK/corrupt.db" --db "$WORK/t2.db"
ok "and nothing is created" '[ ! -e "$WORK/t2.db" ]'

restore_refused "a backup that is not a database is refused" "" --in "$DB.key" --db "$WORK/t3.db"

head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$WORK/wrong.key"
echo >>"$WORK/wrong.key"
restore_refused "restore refuses a key file of another deployment" \
    "the key file does not belong to this database" \
    --in "$WORK/backup.db" --db "$WORK/t4.db" --key-file "$WORK/wrong.key"
ok "and nothing is created" '[ ! -e "$WORK/t4.db" ]'

# without a key file, restore succeeds and says so; serve then refuses any other key
OUT5=$("$CISHARED" restore --in "$WORK/backup.db" --db "$WORK/t5.db" 2>&1)
ok "restore without a key file succeeds and reminds of the key file" \
    '[[ $OUT5 == *"key file: none at $WORK/t5.db.key"* ]]'
cp "$WORK/wrong.key" "$WORK/t5.db.key"
SOUT=$(timeout 60 "$CISHARED" serve --db "$WORK/t5.db" --listen 127.0.0.1:0 2>&1)
SRC=$?
ok "serve on the restored copy with another deployment's key refuses to start" \
    '[ "$SRC" == 1 ] && [[ $SOUT == *"does not belong to this database"* ]]'

# ---- the restored copy through the API --------------------------------------------
serve_db "$R"
restore_refused "restore --force refuses to replace a database a server has open" \
    "open in another process" --in "$WORK/backup.db" --db "$R" --force
snapshot "$WORK/after"
D=$(diff -r "$WORK/before" "$WORK/after" | head -c 1500)
eq "all $NFILES reads on the restored copy equal the original's before the backup" "$D" ""
eq "the restored audit chain verifies" "$(tail -n +2 "$WORK/after/verify" | jq -c . 2>/dev/null)" '{"ok":true}'

# the writer's reports: every one acknowledged before the backup began is there
head -n "$PRE" "$WORK/w.acks" >"$WORK/w.pre"
ids=()
while read -r id; do ids+=("/reports/$id"); done <"$WORK/w.pre"
eq "the $PRE reports acknowledged before the backup began are in the copy" \
    "$(multi_get "$T_W" "${ids[@]}" | sort | uniq -c | awk '{print $2 "x" $1}')" "200x$PRE"
NW=$(list_ids "$T_W" | wc -l)
ok "the copy holds a prefix of the writer's reports ($NW of $POST; $PRE acknowledged before)" \
    '[ "$NW" -ge "$PRE" ] && [ "$NW" -le "$((POST + 1))" ]'
stop_server

# ---- a quiescent backup restores to the same rows -----------------------------------
"$CISHARED" backup --db "$DB" --out "$WORK/quiet.db" >/dev/null 2>"$WORK/quiet.err"
"$CISHARED" restore --in "$WORK/quiet.db" --db "$WORK/quiet-restored.db" >/dev/null 2>>"$WORK/quiet.err"
eq "backup + restore of the stopped database: identical SQL dump" \
    "$(dump_hash "$WORK/quiet-restored.db")" "$(dump_hash "$DB")"
printf 'INFO: %s: online backup of %d bytes in %d ms while a writer filed %d reports; %d reads compared\n' \
    "$TEST_NAME" "$BSIZE" "$BMS" "$((POST - PRE))" "$NFILES" >&3
