/*
 * vocab.c: every vocabulary the CLI knows — TLP levels, sectors, routes,
 * event and cause types, importance, the 様式's option lists — and the
 * 情報連絡様式's field table, in ONE place.
 *
 * These are copies of the server's tables (src/core/enums.c and
 * src/core/form.c, both from the files in data/); the CLI may not link core.
 * When the generated vocabulary (build/gen/vocab.h, from data/) lands,
 * this file is what it replaces: the rest of the CLI reaches the tables
 * only through the names declared in cli.h.  Drift is caught by the e2e
 * test that submits what "report template" prints (every field of the
 * table, every required value chosen) and by the server, which refuses
 * unknown fields and values.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/cli.h"

#define VOCAB(sym, what, tab) \
	const struct vocab sym = { what, tab, nitems(tab) }

static const struct vocab_item tlp_items[] = {
	{ "red", "RED", "宛先限り" },
	{ "amber_strict", "AMBER+STRICT", "特定分野・組織内関係者限り" },
	{ "amber", "AMBER", "特定分野・関係者限り" },
	{ "green", "GREEN", "重要インフラ関係主体限り" },
	{ "clear", "CLEAR", "公開情報" }
};
VOCAB(vocab_tlp, "TLP", tlp_items);

static const struct vocab_item sector_items[] = {
	{ "ict", NULL, "情報通信" },
	{ "finance", NULL, "金融" },
	{ "aviation", NULL, "航空" },
	{ "airport", NULL, "空港" },
	{ "railway", NULL, "鉄道" },
	{ "electricity", NULL, "電力" },
	{ "gas", NULL, "ガス" },
	{ "government", NULL, "政府・行政サービス（地方公共団体を含む）" },
	{ "medical", NULL, "医療" },
	{ "water", NULL, "水道" },
	{ "logistics", NULL, "物流" },
	{ "chemical", NULL, "化学" },
	{ "credit", NULL, "クレジット" },
	{ "petroleum", NULL, "石油" },
	{ "port", NULL, "港湾" }
};
VOCAB(vocab_sector, "sector", sector_items);

static const struct vocab_item route_items[] = {
	{ "direct", NULL, "所管省庁経由" },
	{ "via_ceptoar", NULL, "CEPTOAR経由（匿名化）" },
	{ "urgent", NULL, "緊急（所管省庁と内閣官房へ同時）" }
};
VOCAB(vocab_route, "route", route_items);

static const struct vocab_item event_items[] = {
	{ "event_precursor_near_miss", NULL, "予兆・ヒヤリハット" },
	{ "event_information_leak", NULL, "情報の漏えい" },
	{ "event_information_destruction", NULL, "情報の破壊" },
	{ "event_system_unavailable", NULL, "システム等の利用困難" },
	{ "event_malware_infection", NULL, "マルウェア等の感染" },
	{ "event_malicious_code_execution", NULL, "不正コード等の実行" },
	{ "event_system_intrusion", NULL, "システム等への侵入" },
	{ "event_other", NULL, "その他" }
};
VOCAB(vocab_event, "event type", event_items);

static const struct vocab_item cause_items[] = {
	{ "cause_suspicious_email_received", NULL, "不審メール等の受信" },
	{ "cause_user_id_spoofing", NULL, "ユーザID等の偽り" },
	{ "cause_ddos_mass_access", NULL, "DDoS攻撃等の大量アクセス" },
	{ "cause_unauthorized_information_acquisition", NULL,
	  "情報の不正取得" },
	{ "cause_insider_misconduct", NULL, "内部不正" },
	{ "cause_improper_system_operation", NULL,
	  "適切なシステム運用等の未実施" },
	{ "cause_user_operation_error", NULL, "ユーザの操作ミス" },
	{ "cause_user_management_error", NULL, "ユーザの管理ミス" },
	{ "cause_suspicious_file_execution", NULL, "不審なファイルの実行" },
	{ "cause_suspicious_site_browsing", NULL, "不審なサイトの閲覧" },
	{ "cause_contractor_management_error", NULL,
	  "外部委託先の管理ミス" },
	{ "cause_equipment_failure", NULL, "機器等の故障" },
	{ "cause_system_vulnerability", NULL, "システムの脆弱性" },
	{ "cause_spillover_from_other_sector", NULL,
	  "他分野の障害からの波及" },
	{ "cause_disaster_or_disease", NULL, "災害や疾病等" },
	{ "cause_other", NULL, "その他" },
	{ "cause_unknown", NULL, "不明" }
};
VOCAB(vocab_cause, "cause type", cause_items);

static const struct vocab_item importance_items[] = {
	{ "alert", NULL, "警報" },
	{ "caution", NULL, "注意喚起" },
	{ "reference", NULL, "参考情報" }
};
VOCAB(vocab_importance, "importance", importance_items);

static const struct vocab_item yesno_items[] = {
	{ "yes", NULL, "有" },
	{ "no", NULL, "無" }
};
VOCAB(vocab_yesno, "yes/no", yesno_items);

static const struct vocab_item opstatus_items[] = {
	{ "no_impact", NULL, "影響なし" },
	{ "stopped", NULL, "停止中" },
	{ "partially_operating", NULL, "一部稼働中" },
	{ "restored", NULL, "復旧済" }
};
VOCAB(vocab_opstatus, "operation status", opstatus_items);

static const struct vocab_item press_items[] = {
	{ "done", NULL, "済" },
	{ "planned", NULL, "予定有" },
	{ "none", NULL, "無" }
};
VOCAB(vocab_press, "press release", press_items);

static const struct vocab_item ppc_items[] = {
	{ "done", NULL, "済" },
	{ "checking", NULL, "確認中" },
	{ "not_required", NULL, "不要" }
};
VOCAB(vocab_ppc, "PPC notification", ppc_items);

static const struct vocab_item next_items[] = {
	{ "event_ongoing", NULL, "事象継続中（続報あり）" },
	{ "post_incident_investigation", NULL, "事後調査実施中（続報あり）" },
	{ "considering_further_measures", NULL,
	  "今後の対応策を継続検討（続報なし）" },
	{ "response_completed", NULL, "対応完了（続報なし）" }
};
VOCAB(vocab_next_steps, "next steps", next_items);

static const struct vocab_item notif_status_items[] = {
	{ "failed", NULL, NULL },
	{ "pending", NULL, NULL },
	{ "sent", NULL, NULL }
};
VOCAB(vocab_notif_status, "status", notif_status_items);

static const struct vocab_item channel_kind_items[] = {
	{ "email", NULL, NULL },
	{ "webhook", NULL, NULL }
};
VOCAB(vocab_channel_kind, "channel kind", channel_kind_items);

/* ---- 情報連絡様式 (report_form), in form order ----------------------- */

#define END	{ NULL, 0, 0, NULL, NULL, NULL, NULL }

static const struct form_field f_reporter[] = {
	{ "ministry_name", FT_STRING, 0, NULL, NULL, "省庁名", NULL },
	{ "department", FT_STRING, 0, NULL, NULL, "部局名", NULL },
	{ "contact_person", FT_STRING, 0, NULL, NULL, "担当者名", NULL },
	{ "phone", FT_STRING, 0, NULL, NULL, "電話番号", NULL },
	{ "fax", FT_STRING, 0, NULL, NULL, "FAX番号", NULL },
	{ "email", FT_STRING, 0, NULL, NULL, "電子メールアドレス", NULL },
	END
};

static const struct form_field f_overview[] = {
	{ "discovered_at", FT_DATETIME, 0, NULL, NULL, "判明日時", NULL },
	{ "occurred_at", FT_DATETIME, 0, NULL, NULL, "発生日時", NULL },
	{ "occurred_at_remark", FT_STRING, 0, NULL, NULL, "発生日時の補足",
	  NULL },
	{ "affected_system_or_contractor", FT_TEXT, 0, NULL, NULL,
	  "事象が発生したシステム・委託先業者等", NULL },
	{ "event_summary", FT_TEXT, 0, NULL, NULL, "発生事象の概要", NULL },
	END
};

static const struct form_field f_external[] = {
	{ "press_release", FT_ENUM, 0, &vocab_press, NULL,
	  "報道発表、報道等への掲載", NULL },
	{ "press_release_detail", FT_TEXT, 0, NULL, NULL, "報道発表の詳細",
	  NULL },
	{ "ppc_notification", FT_ENUM, 0, &vocab_ppc, NULL,
	  "個人情報保護委員会への連絡", NULL },
	{ "ppc_notification_detail", FT_TEXT, 0, NULL, NULL,
	  "個人情報保護委員会への連絡の詳細", NULL },
	{ "other_contacts_besides_nisc", FT_TEXT, 0, NULL, NULL,
	  "その他NISC以外に連絡を行った先", NULL },
	END
};

static const struct form_field f_impact[] = {
	{ "system_operation_status", FT_ENUM, 0, &vocab_opstatus, NULL,
	  "システムの稼働状況", NULL },
	{ "service_level_deviation", FT_ENUM, 0, &vocab_yesno, NULL,
	  "重要インフラサービスのサービス維持レベル逸脱の有無", NULL },
	{ "spillover_possibility", FT_ENUM, 0, &vocab_yesno, NULL,
	  "他の事業者等への波及の可能性", NULL },
	{ "external_response", FT_GROUP, 0, NULL, f_external,
	  "対外的な対応状況", NULL },
	{ "supplementary_info", FT_TEXT, 0, NULL, NULL, "（補足情報）", NULL },
	END
};

static const struct form_field f_timeline[] = {
	{ "at", FT_STRING, 0, NULL, NULL, "日時", NULL },
	{ "description", FT_TEXT, 0, NULL, NULL, "事象・対応状況等", NULL },
	END
};

const struct form_field form_report[] = {
	{ "importance", FT_ENUM, 0, &vocab_importance, NULL, "重要度", NULL },
	{ "report_sequence_number", FT_INT, 0, NULL, NULL, "報数（第　報）",
	  "1 on a first report; the server numbers follow-ups" },
	{ "identification_number", FT_STRING, 0, NULL, NULL, "識別番号",
	  "blank: NISC assigns it (R1, R1-2 ...)" },
	{ "reported_at", FT_DATETIME, 0, NULL, NULL, "情報連絡日時", NULL },
	{ "reporter", FT_GROUP, 0, NULL, f_reporter, "情報連絡元", NULL },
	{ "tlp", FT_ENUM, 1, &vocab_tlp, NULL, "情報共有範囲", NULL },
	{ "tlp_special_notes", FT_TEXT, 0, NULL, NULL, "特記事項", NULL },
	{ "event_type", FT_ENUM, 0, &vocab_event, NULL,
	  "①発生した事象の類型", "one only: the event detected first" },
	{ "cause_types", FT_ENUM_MULTI, 0, &vocab_cause, NULL,
	  "②上記事象における原因の類型", NULL },
	{ "has_attachment", FT_ENUM, 1, &vocab_yesno, NULL, "別紙有無", NULL },
	{ "sector", FT_ENUM, 1, &vocab_sector, NULL, "③分野名", NULL },
	{ "affected_operator_name", FT_TEXT, 0, NULL, NULL,
	  "④事象が発生した重要インフラ事業者等名", NULL },
	{ "overview", FT_GROUP, 0, NULL, f_overview, "⑤概要", NULL },
	{ "impact", FT_GROUP, 0, NULL, f_impact,
	  "⑥重要インフラサービス等への影響", NULL },
	{ "timeline", FT_TABLE, 0, NULL, f_timeline, "⑦当該事象に係る推移等",
	  NULL },
	{ "next_steps", FT_ENUM, 0, &vocab_next_steps, NULL, "⑧今後の予定",
	  NULL },
	{ "other_lessons_learned", FT_TEXT, 0, NULL, NULL,
	  "⑨その他・得られた教訓等", NULL },
	END
};

/*
 * The item whose id is s, or whose name is s ignoring case
 * ("amber+strict" finds amber_strict); NULL if none.
 */
const struct vocab_item *
vocab_find(const struct vocab *v, const char *s)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		if (strcmp(v->items[i].id, s) == 0)
			return &v->items[i];
	for (i = 0; i < v->n; i++)
		if (v->items[i].name != NULL &&
		    strcasecmp(v->items[i].name, s) == 0)
			return &v->items[i];
	return NULL;
}

/*
 * "RED, AMBER+STRICT, AMBER, GREEN, CLEAR": the names (else the ids), or
 * with ids set the ids the server takes in a form ("red, amber_strict").
 */
char *
vocab_allowed(const struct vocab *v, int ids)
{
	struct cs_buf b;
	size_t i;
	char *s;

	cs_buf_init(&b, 4096);
	for (i = 0; i < v->n; i++)
		(void)cs_buf_printf(&b, "%s%s", i > 0 ? ", " : "",
		    !ids && v->items[i].name != NULL ? v->items[i].name :
		    v->items[i].id);
	if ((s = cs_buf_finish(&b)) == NULL)
		s = xstrdup("?");
	return s;
}
