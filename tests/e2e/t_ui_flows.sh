#!/usr/bin/env bash
# The flows issue 15 adds behind the UI: the approver's return for revision
# (差戻し) with a comment and the drafter's resubmission; duplicate
# recipient rows refused (400 form.recipients.N); relay and forward
# comments stored and shown on the delivery record / report, and a relay
# acknowledging for the relaying organisation; the reminder (督促) of
# unacknowledged recipients; an org_admin's password reset giving a
# temporary password that must be replaced at the next login; the
# report's 情報連絡元 contact fields filled by the sender.  All audited.
. "$(dirname "$0")/lib.sh"
start_server

ref_orgs NISC=nisc FSA=ci_ministry:finance
orgs "U " <<'EOF2'
CEP	ceptoar_secretariat	["finance"]	-	銀行等セプター
B1	ci_operator		["finance"]	CEP	みなと銀行
B2	ci_operator		["finance"]	CEP	さくら銀行
EOF2
tokens <<'EOF2'
T_NISC	NISC	u-nisc	analyst
T_AP	NISC	u-nisc-ap	approver
T_FSA	FSA	u-fsa	liaison
T_CEP	CEP	u-cep	poc
T_B1	B1	u-b1	member
T_B2	B2	u-b2	member
EOF2

# ---- duplicate recipients ----
FORM=$(mkadv amber '.recipients = [{"sector":"finance"},{"sector":"finance"}] | .importance = "alert"')
api POST /advisories "{\"form\":$FORM}" "$T_NISC"
expect_error form.recipients.1 400 "a repeated addressee row -> 400 form.recipients.1"
api GET /advisories "" "$T_NISC"
eq "nothing was written" "$(jqv '.items | length')" 0

# ---- 差戻し: an alert waits for approval; the approver returns it ----
FORM=$(mkadv amber '.recipients = [{"sector":"finance"}] | .importance = "alert"')
A=$(adv_issue "$T_NISC" "$FORM")
api GET "/advisories/$A" "" "$T_NISC"
eq "an alert waits for the approver" "$(jqv .state)" pending_approval
api POST "/advisories/$A/return" '{"comment": "対処方針を具体的に"}' "$T_NISC"
expect_error "" 403 "an analyst without the approver role cannot return"
api POST "/advisories/$A/return" '{}' "$T_AP"
expect_error comment 400 "a return without a comment -> 400 comment"
api POST "/advisories/$A/return" '{"comment": 5}' "$T_AP"
expect_error comment 400 "a non-text comment -> 400 comment"
api POST "/advisories/999999/return" '{"comment": "x"}' "$T_AP"
expect_error "" 404 "returning a missing advisory -> 404"
api POST "/advisories/$A/return" '{"comment": "対処方針を具体的に"}' "$T_FSA"
expect_error "" 404 "a ministry cannot see (so cannot return) a pending draft"
api POST "/advisories/$A/return" '{"comment": "対処方針を具体的に"}' "$T_AP"
expect_status 200 "the approver returns the draft with a comment"
eq "state returned_for_revision" "$(jqv .state)" returned_for_revision
api GET "/advisories/$A" "" "$T_NISC"
eq "the drafter sees the comment" "$(jqv '.returns[0].comment')" "対処方針を具体的に"
eq "nothing was delivered" "$(jqv '.delivery.hops | length')" 0
api POST "/advisories/$A/approve" "" "$T_AP"
expect_error "" 409 "a returned draft cannot be approved as it is"
api POST "/advisories/$A/return" '{"comment": "again"}' "$T_AP"
expect_error "" 409 "returning twice -> 409"
api POST "/advisories/$A/followups" "{\"form\":$(jq -c '.countermeasures = "パッチ適用と通信監視"' <<<"$FORM")}" "$T_NISC"
expect_status 201 "the drafter resubmits the edited draft"
eq "back to approval" "$(jqv .state)" pending_approval
api POST "/advisories/$A/approve" "" "$T_AP"
expect_status 200 "the approver approves the revised draft"
eq "issued" "$(jqv .state)" issued
api GET "/audit?limit=500" "" "$ADMIN"
eq "the return is audited with its comment" \
    "$(jqv "[.items[] | select(.action == \"advisory.return\" and .item == \"advisory:$A\")] | .[0].detail.comment")" "対処方針を具体的に"

# ---- relay comment; relaying acknowledges ----
api POST "/advisories/$A/relay" "{\"to\":[$CEP],\"comment\":{}}" "$T_FSA"
expect_error comment 400 "a non-text relay comment -> 400 comment"
api POST "/advisories/$A/relay" "{\"to\":[$CEP],\"comment\":\"至急会員へ周知願います\"}" "$T_FSA"
expect_status 200 "the ministry relays to the CEPTOAR with a comment"
eq "the relay acknowledged for the ministry" "$(jqv .acknowledged)" true
api GET "/advisories/$A" "" "$T_FSA"
eq "the ministry's own delivery is acknowledged" "$(jqv '.my_delivery.acknowledged_at != null')" true
eq "the hop shows the comment" "$(jqv "[.delivery.hops[] | select(.org == $CEP)][0].comment")" "至急会員へ周知願います"
api POST "/advisories/$A/relay" "{\"to\":[$B1,$B2]}" "$T_CEP"
expect_status 200 "the CEPTOAR relays to its members without a comment"
api GET "/advisories/$A" "" "$T_CEP"
eq "the CEPTOAR is acknowledged by relaying" "$(jqv '.my_delivery.acknowledged_at != null')" true
eq "its hops carry no comment" "$(jqv "[.delivery.hops[] | select(.org == $B1)][0].comment")" null
api GET "/audit?limit=500" "" "$ADMIN"
eq "the relay's ack is audited" "$(jqv "[.items[] | select(.action == \"advisory.ack\" and .item == \"advisory:$A\" and .detail.by == \"relay\")] | length")" 2

# ---- 督促 ----
api POST "/advisories/$A/remind" "{\"orgs\":[$FSA]}" "$T_CEP"
expect_error orgs.0 400 "the CEPTOAR cannot remind an organisation it did not deliver to"
api POST "/advisories/$A/remind" "{\"orgs\":\"x\"}" "$T_CEP"
expect_error orgs 400 "orgs must be an id array"
api POST "/advisories/$A/remind" "" "$T_B1"
expect_error "" 403 "an operator cannot remind"
api POST "/advisories/$A/ack" "" "$T_B1"
expect_status 200 "B1 acknowledges"
api POST "/advisories/$A/remind" "" "$T_CEP"
expect_status 200 "the CEPTOAR reminds its unacknowledged members"
eq "only B2 is reminded" "$(jqv '.reminded | map(tostring) | join(",")')" "$B2"
api GET "/advisories/$A" "" "$T_CEP"
eq "the delivery record counts the reminder" "$(jqv "[.delivery.hops[] | select(.org == $B2)][0].reminders")" 1
api POST "/advisories/$A/remind" "{\"orgs\":[$B2]}" "$T_NISC"
expect_status 200 "NISC may remind any recipient"
api GET "/inbox" "" "$T_B2"
eq "B2 still has the advisory in its inbox" "$(jqv "[.items[] | select(.id == $A)] | length")" 1
api GET "/audit?limit=500" "" "$ADMIN"
eq "reminders are audited" "$(jqv "[.items[] | select(.action == \"advisory.remind\")] | length")" 2

# ---- forward comment; reporter contact fields ----
R=$(submit "$T_B1" direct "$(mkform amber finance '.reporter = {"department": "システム部", "phone": "03-1111-2222", "fax": "03-1111-3333", "email": "csirt@example.jp", "ministry_name": "偽の省庁"}')")
api GET "/reports/$R" "" "$T_B1"
eq "the sender's contact fields are kept" "$(jqv '.versions[0].form.reporter | [.department, .phone, .fax, .email] | join(",")')" \
    "システム部,03-1111-2222,03-1111-3333,csirt@example.jp"
eq "the organisation name is the server's" "$(jqv '.versions[0].form.reporter.ministry_name')" "U みなと銀行"
api POST "/reports/$R/forward" '{"comment": ["x"]}' "$T_FSA"
expect_error comment 400 "a non-text forward comment -> 400 comment"
api POST "/reports/$R/forward" '{"comment": "金融庁より：続報を依頼済み"}' "$T_FSA"
expect_status 200 "the ministry forwards with a comment"
api GET "/reports/$R" "" "$T_NISC"
eq "NISC sees the forward comment" "$(jqv '.forward_comments[0].comment')" "金融庁より：続報を依頼済み"

# ---- password reset ----
B1ADM_ID=$(mkuser "$B1" u-b1-adm org_admin false '{"password": "adm-pass-0123456"}')
B1ADM=$(mktoken "$B1ADM_ID")
U=$(mkuser "$B1" u-b1-staff member false '{"password": "old-pass-0123456"}')
U2=$(mkuser "$B2" u-b2-staff member false '{"password": "old-pass-0123456"}')
api POST "/users/$U2/password-reset" "" "$B1ADM"
expect_error "" 404 "an org_admin cannot reset another organisation's user (404)"
api POST "/users/$U/password-reset" "" "$T_B2"
expect_error "" 404 "a member cannot reset (the user stays invisible)"
api POST "/users/$U/password-reset" "" "$B1ADM"
expect_status 200 "the org_admin resets its user's password"
TMP=$(jqv .temporary_password)
eq "a temporary password that must be changed" "$(jqv '.must_change')" true
api POST /session '{"login":"u-b1-staff","password":"old-pass-0123456"}' ""
expect_error password 401 "the old password no longer works"
api POST /session "{\"login\":\"u-b1-staff\",\"password\":\"$TMP\"}" ""
expect_error new_password 409 "the temporary password alone does not log in"
api POST /session "{\"login\":\"u-b1-staff\",\"password\":\"$TMP\",\"new_password\":\"short\"}" ""
expect_error new_password 400 "a new password breaking the rule -> 400 new_password"
api POST /session "{\"login\":\"u-b1-staff\",\"password\":\"$TMP\",\"new_password\":\"new-pass-0123456\"}" ""
expect_status 201 "the temporary password with a new one logs in"
api POST /login "{\"login\":\"u-b1-staff\",\"password\":\"$TMP\"}" ""
expect_error password 401 "the temporary password is spent"
api POST /login '{"login":"u-b1-staff","password":"new-pass-0123456"}' ""
expect_status 201 "the new password works"
api GET "/audit?limit=500" "" "$ADMIN"
eq "reset and change are audited" "$(jqv "[.items[] | select((.action == \"user.password_reset\" or .action == \"user.password_change\") and .item == \"user:$U\")] | length")" 2
eq "the temporary password is in no audit entry" "$(jqv "[.items[] | tostring | select(contains(\"$TMP\"))] | length")" 0

# ---- the audit viewer's filters: a filtered page reads on until it fills ----
api GET "/audit?action=advisory.return&limit=5" "" "$T_NISC"
expect_status 200 "NISC filters the audit log by action"
eq "the filtered page holds the return, and only matching entries" \
    "$(jqv '[.items[].action] | (length > 0 and all(. == "advisory.return"))')" true
api GET "/audit?item=advisory:$A&org=$FSA&limit=50" "" "$ADMIN"
eq "by item and organisation: the ministry's relay and acks of the advisory" \
    "$(jqv '[.items[] | select(.org != '"$FSA"' or .item != "advisory:'"$A"'")] | length')" 0
api GET "/audit?action=Advisory" "" "$ADMIN"
expect_error action 400 "a malformed action filter -> 400 action"
api GET "/audit?org=x" "" "$ADMIN"
expect_error org 400 "a malformed org filter -> 400 org"
