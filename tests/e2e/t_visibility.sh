#!/usr/bin/env bash
# Visibility: 16 principals x reports at every TLP with shares.  For every
# principal and report: GET /reports/{id} is 200 or 404 and GET /reports
# lists it or not, exactly as policy.c's decided semantics say.  Share
# refusals (403 to.N), the ※1 exception (NISC only), extra_recipients beyond
# the ceiling, a follow-up narrowing the TLP under a share.
. "$(dirname "$0")/lib.sh"
start_server

# ---- the directory ----
orgs "V " <<'EOF'
NISC	nisc				[]		-	NISC
CAS	cas_crisis_management		[]		-	内閣官房 事態対処
MIN_F	ci_ministry			["finance"]	-	金融庁
MIN_E	ci_ministry			["electricity"]	-	経済産業省
IRM	incident_response_ministry	[]		-	警察庁
EOF
sector_population "V "
AG_PRE=$(mkorg "V JPCERT" cybersecurity_agency '[]' null true)
AG_NP=$(mkorg "V IPA" cybersecurity_agency '[]' null false)
CB=$(mkorg "V サイバー事業者" cyberspace_business '[]')

declare -A TOK
tokens <<'EOF'
TOK[nisc]	NISC	v-nisc		analyst
TOK[nisc_nda]	NISC	v-nisc-nda	analyst	true
TOK[cas]	CAS	v-cas		member
TOK[min_f]	MIN_F	v-fsa		liaison
TOK[min_e]	MIN_E	v-meti		liaison
TOK[irm]	IRM	v-npa		member
TOK[cep_f]	CEP_F	v-cep-f		poc
TOK[cep_e]	CEP_E	v-cep-e		poc
TOK[op1]	OP1	v-op1		member
TOK[op1_nda]	OP1	v-op1-nda	member	true
TOK[op2]	OP2	v-op2		member
TOK[ope]	OPE	v-ope		member
TOK[ag_pre]	AG_PRE	v-jpcert	member
TOK[ag_np]	AG_NP	v-ipa		member
TOK[cb]		CB	v-cb		member
EOF
TOK[admin]=$ADMIN
PRINCIPALS=(nisc nisc_nda cas min_f min_e irm cep_f cep_e op1 op1_nda op2 ope ag_pre ag_np cb admin)
eq "16 distinct principals" "$(printf '%s\n' "${TOK[@]}" | sort -u | grep -c .)" 16

# share LABEL ACTOR ID "ORG,ORG" STATUS [FIELD]
share() {
	local label=$1 actor=$2 id=$3 to=$4 want=$5 field=${6:-}
	api POST "/reports/$id/share" "{\"to\": [$to]}" "${TOK[$actor]}"
	if [ "$want" == 200 ]; then
		expect_status 200 "$label: $actor shares with [$to] -> 200"
	else
		expect_error "$field" "$want" "$label: $actor shares with [$to] -> $want${field:+ field $field}"
	fi
}

# readers LABEL ID "reader reader ..." — queue an expectation; check_matrix
# then asserts, for every principal and every queued report, GET /reports/{id}
# (200 for readers, 404 with a JSON error otherwise) and presence in
# GET /reports (one list per principal per pass).
SPECS=()
readers() { SPECS+=("$1|$2| $3 "); }
check_matrix() {
	local p spec label id rd want got listed
	for p in "${PRINCIPALS[@]}"; do
		# A source's own anonymised reports are listed apart.
		listed=" $({ list_ids "${TOK[$p]}"; list_ids "${TOK[$p]}" anonymised=mine; } | tr '\n' ' ') "
		for spec in "${SPECS[@]}"; do
			IFS='|' read -r label id rd <<<"$spec"
			if [[ $rd == *" $p "* ]]; then want=200; else want=404; fi
			api GET "/reports/$id" "" "${TOK[$p]}"
			got=$STATUS
			if [ "$got" == 404 ] && [[ $BODY != *'"error":{'* ]]; then
				got="404-without-JSON-error"
			fi
			eq "$label: $p GET -> $want" "$got" "$want"
			if [[ $listed == *" $id "* ]]; then got=200; else got=404; fi
			eq "$label: $p list $([ "$want" == 200 ] && echo shows || echo hides) it" "$got" "$want"
		done
	done
	SPECS=()
}

file_forwarded() { # TLP [EXTRA_JSON] -> id, forwarded to NISC by the finance ministry
	local id
	id=$(submit "${TOK[op1]}" direct "$(mkform "$1" finance ".overview.event_summary = \"tlp $1\"")" false "${2:-null}")
	forward "${TOK[min_f]}" "$id" >/dev/null
	echo "$id"
}

R=$(file_forwarded red)
AS=$(file_forwarded amber_strict)
A=$(file_forwarded amber)
G=$(file_forwarded green)
C=$(file_forwarded clear)
X=$(file_forwarded red "[$CB]")
G2=$(file_forwarded green)
N=$(submit "${TOK[op1]}" direct "$(mkform amber finance)")

# ---- RED: NISC + the ministry of the sector; ※1 by NISC only ----
for o in "$CAS" "$AG_PRE"; do share RED min_f "$R" "$o" 403 to.0; done
for o in "$MIN_E" "$CEP_F" "$OP2" "$AG_NP" "$CB"; do share RED nisc "$R" "$o" 403 to.0; done
share RED nisc "$R" "$AG_PRE,$CB" 403 to.1
share RED op1 "$R" "$CAS" 403 to.0
share RED admin "$R" "$CAS" 404 ""
share RED nisc "$R" "$CAS" 200
share RED nisc "$R" "$AG_PRE" 200
eq "RED: the share answer lists the target" "$(jqv '.shared_with | join(",")')" "$AG_PRE"
share RED nisc "$R" "999999" 400 to.0
share RED nisc "$R" "1" 400 to.0
readers RED "$R" "op1 min_f nisc cas ag_pre"

# ---- AMBER+STRICT: NISC + ministry/CEPTOAR/operators of the sector; no nda ----
for o in "$MIN_E" "$CEP_E" "$OPE" "$CB" "$AG_NP" "$IRM"; do share AMBER_STRICT nisc "$AS" "$o" 403 to.0; done
share AMBER_STRICT min_f "$AS" "$CAS" 403 to.0
share AMBER_STRICT nisc "$AS" "$OP2,$CEP_F" 200
share AMBER_STRICT nisc "$AS" "$CAS" 200
readers AMBER_STRICT "$AS" "op1 min_f nisc op2 cep_f cas"

# ---- AMBER: as AMBER+STRICT but nda contractors read ----
for o in "$CEP_E" "$CB"; do share AMBER nisc "$A" "$o" 403 to.0; done
share AMBER min_f "$A" "$AG_PRE" 403 to.0
share AMBER min_f "$A" "$CEP_F" 200
share AMBER nisc "$A" "$OP2" 200
share AMBER nisc "$A" "$AG_PRE" 200
share AMBER op2 "$A" "$CEP_F" 403 ""
readers AMBER "$A" "op1 op1_nda min_f nisc nisc_nda op2 cep_f ag_pre"

# ---- GREEN: the community, still only by explicit share ----
share GREEN min_f "$G" "$CAS" 403 to.0
share GREEN nisc "$G" "$CB,$OPE,$AG_NP,$IRM" 200
share GREEN min_f "$G" "$MIN_E" 200
share GREEN cb "$G" "$CEP_E" 403 ""
readers GREEN "$G" "op1 op1_nda min_f nisc nisc_nda cb ope ag_np irm min_e"

# ---- the remaining reports in their first state ----
share "GREEN->AMBER" nisc "$G2" "$CB,$OP2" 200
share "not forwarded" nisc "$N" "$CAS" 404 ""
readers "CLEAR before any share (no broadcast)" "$C" "op1 op1_nda min_f nisc nisc_nda"
readers "RED+extra before the share" "$X" "op1 min_f nisc"
readers "AMBER not forwarded" "$N" "op1 op1_nda min_f"
readers "GREEN shared, before narrowing" "$G2" "op1 op1_nda min_f nisc nisc_nda cb op2"
check_matrix    # pass 1

# ---- CLEAR: anyone may be shared with, but nobody gets it unasked ----
share CLEAR min_f "$C" "$CAS" 200

# ---- extra_recipients: the sender widens beyond the ceiling ----
share "RED+extra" min_f "$X" "$AG_NP" 403 to.0
share "RED+extra" nisc "$X" "$CB" 200

# ---- a follow-up narrowing the TLP takes it away from shares outside the new ceiling ----
V=$(followup "${TOK[op1]}" "$G2" "$(mkform amber finance)")
eq "GREEN->AMBER: follow-up filed as version 2" "$V" 2

# ---- via CEPTOAR: the secretariat shares the anonymised report ----
VC=$(submit "${TOK[op1]}" via_ceptoar "$(mkform green finance)")
forward "${TOK[cep_f]}" "$VC" >/dev/null
share "via_ceptoar" op1 "$VC" "$OP2" 403 ""
share "via_ceptoar" cep_f "$VC" "$OP2" 200

# pass 2: the changed ones, and the others again (nothing else moved)
readers CLEAR "$C" "op1 op1_nda min_f nisc nisc_nda cas"
readers "RED+extra" "$X" "op1 min_f nisc cb"
readers "GREEN narrowed to AMBER" "$G2" "op1 op1_nda min_f nisc nisc_nda op2"
readers "GREEN via_ceptoar at ministry" "$VC" "op1 op1_nda cep_f min_f op2"
readers "RED (pass 2)" "$R" "op1 min_f nisc cas ag_pre"
readers "AMBER_STRICT (pass 2)" "$AS" "op1 min_f nisc op2 cep_f cas"
readers "AMBER not forwarded (pass 2)" "$N" "op1 op1_nda min_f"
check_matrix
api GET "/reports/$VC" "" "${TOK[op2]}"
eq "via_ceptoar: the shared operator sees no submitter" "$(jqv 'has("submitter")')" false
eq "via_ceptoar: the shared operator sees only the anonymised version" \
    "$(jqv '[.versions[].shown_hop] | join(",")')" ceptoar

# ---- the platform admin reads nothing ----
api GET "/reports?limit=500" "" "$ADMIN"
expect_status 200 "admin: GET /reports -> 200"
eq "admin: GET /reports is empty" "$(jqv '.items | length')" 0

# ---- paging: limit=1 with cursors yields the same set as one big page ----
api GET "/reports?limit=500" "" "${TOK[nisc]}"
ALL=$(jqv '[.items[].id] | sort | join(",")')
PAGED=$(pages "${TOK[nisc]}" /reports 1 '.items[].id' 50 | sort -n | paste -sd,)
eq "NISC: paging with limit=1 and next_cursor returns the same reports as limit=500" "$PAGED" "$ALL"
api GET "/reports?limit=2&sector=finance" "" "${TOK[nisc]}"
eq "NISC: limit=2 returns 2 items and a cursor" "$(jqv '(.items | length) == 2 and (.next_cursor | type) == "string"')" true
api GET "/reports?limit=500&sector=electricity" "" "${TOK[nisc]}"
eq "NISC: sector=electricity filters out every finance report" "$(jqv '.items | length')" 0

# ---- a shared organisation sees no more versions than the sharer holds ----
# Report A (AMBER) was shared by NISC with OP2 and by the ministry with CEP_F.
# A 第2報 that only reached the ministry is the ministry's to pass on: CEP_F
# (shared by the ministry) may see it, OP2 (shared by NISC) may not until the
# ministry forwards it to NISC.
V=$(followup "${TOK[op1]}" "$A" "$(mkform amber finance '.overview.event_summary = "amber 第2報 (ministry only)"')")
eq "AMBER: 第2報 filed as version 2" "$V" 2
api GET "/reports/$A" "" "${TOK[nisc]}"
eq "AMBER 第2報 at the ministry: NISC sees version 1 only" "$(jqv '[.versions[].version] | join(",")')" 1
api GET "/reports/$A" "" "${TOK[cep_f]}"
eq "AMBER 第2報 at the ministry: CEP_F (shared by the ministry) sees versions 1,2" \
    "$(jqv '[.versions[].version] | join(",")')" "1,2"
api GET "/reports/$A" "" "${TOK[op2]}"
eq "AMBER 第2報 at the ministry: OP2 (shared by NISC) sees only what reached NISC (version 1)" \
    "$(jqv '[.versions[].version] | join(",")')" 1
forward "${TOK[min_f]}" "$A" >/dev/null
api GET "/reports/$A" "" "${TOK[op2]}"
eq "AMBER 第2報 forwarded to NISC: OP2 sees versions 1,2" "$(jqv '[.versions[].version] | join(",")')" "1,2"
