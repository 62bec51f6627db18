/*
 * risk.c: the risk workspace's pure rules (see risk.h).
 */
#include <stdlib.h>
#include <string.h>

#include "analysis/risk.h"

#define S001	"001_bd58f50647524d85.txt:"

/* 行動計画 IV 4.1 (1) ② 改善項目の拾い出しと適用の程度の決定 */
const struct risk_check_item risk_viewpoints[] = {
	{ "i", "情報資産のリスクに関する改善",
	  "Improvements concerning risks to information assets", "i",
	  S001 "1516 行動計画 IV 4.1 (1) ② i" },
	{ "ii", "確実なサービス提供に関する改善",
	  "Improvements concerning reliable service provision", "ii",
	  S001 "1518 行動計画 IV 4.1 (1) ② ii" },
	{ "iii", "障害等の発生検知に関する改善",
	  "Improvements concerning detection of failures etc.", "iii",
	  S001 "1520 行動計画 IV 4.1 (1) ② iii" },
	{ "iv", "障害等の対処に関する改善",
	  "Improvements concerning response to failures etc.", "iv",
	  S001 "1522 行動計画 IV 4.1 (1) ② iv" },
	{ "v", "障害等によって阻害された機能の復旧に関する改善",
	  "Improvements concerning recovery of functions impaired by failures "
	  "etc.", "v", S001 "1524 行動計画 IV 4.1 (1) ② v" },
	{ NULL, NULL, NULL, NULL, NULL }
};

/*
 * リスクマネジメント手引書 7 (CP and BCP) and its 【別紙】 (the seven
 * characteristics of cyber-attack risk to consider in CP/BCP).  The
 * viewpoint each serves is this project's reading (docs/analysis.md):
 * initial response is iv, recovery v, detection and monitoring iii.
 */
const struct risk_check_item risk_readiness[] = {
	{ "cp", "コンティンジェンシープラン（初動対応の方針、手順、態勢等）を策定している",
	  "A contingency plan (initial-response policy, procedures and "
	  "organisation) is in place", "iv",
	  S001 "25725 手引書 7.1 コンティンジェンシープランの策定" },
	{ "bcp", "事業継続計画（許容可能な時間内に許容可能な水準まで復旧させるための目標水準、"
	  "優先順位、手順、態勢等）を策定している",
	  "A business continuity plan (IT-BCP: recovery targets, priorities, "
	  "procedures and organisation to restore the service within a tolerable "
	  "time to a tolerable level) is in place", "v",
	  S001 "25735 手引書 7.2 事業継続計画（BCP）の策定" },
	{ "bcp_supply_chain", "事業継続計画でサプライチェーン・リスクを考慮している",
	  "The BCP considers supply-chain risk", "v",
	  S001 "25743 手引書 7.2" },
	{ "recovery_plan", "目標復旧水準から平時のサービス水準まで完全復旧させる事業復旧計画を策定している",
	  "A business recovery plan (from the target recovery level back to "
	  "normal service) is in place", "v",
	  S001 "25715 手引書 7" },
	{ "organisation", "計画を実行するための態勢を整備している",
	  "The organisation to execute the plans is set up", "iv",
	  S001 "25715 手引書 7" },
	{ "c1_scenarios", "サイバー攻撃リスクの認識と被害発生に至るシナリオの作成",
	  "Cyber-attack risk recognised, damage scenarios written (attackers "
	  "with diverse objectives)", "iv",
	  S001 "26638 手引書【別紙】1 攻撃者の存在と多様な攻撃目的" },
	{ "c2_intel_review", "攻撃手口に関する日々の情報収集並びにＣＰ及びＢＣＰの適時見直し",
	  "Daily collection on attack methods and timely review of CP and BCP "
	  "(sophisticated attacks)", "iii",
	  S001 "26692 手引書【別紙】2 攻撃手口の高度化" },
	{ "c3_containment", "サービス中断に繋がる手段も視野に入れた被害拡大への対応",
	  "Containment including measures that interrupt the service (rapidly "
	  "spreading attacks)", "iv",
	  S001 "26741 手引書【別紙】3 急速な被害拡大に繋がる攻撃が行われる可能性" },
	{ "c4_recurrence", "サイバー攻撃の再発の可能性及び環境の特殊性の考慮",
	  "Recurrence and the special environment considered before restoring "
	  "(persistent attacks)", "v",
	  S001 "26806 手引書【別紙】4 執拗な攻撃が行われる可能性" },
	{ "c5_simultaneous", "関係主体等との連携を前提とした同時多発攻撃への対応",
	  "Response to simultaneous attacks in cooperation with stakeholders",
	  "iv", S001 "26868 手引書【別紙】5 同時多発的な攻撃が行われる可能性" },
	{ "c6_disclosure", "影響調査に係る情報等の開示手続きの明確化",
	  "Procedures to disclose logs and devices for impact investigation "
	  "(attacks hard to detect)", "iii",
	  S001 "26927 手引書【別紙】6 検知が困難な攻撃が行われる可能性" },
	{ "c7_monitoring", "異なる種類の監視情報の併用による正確な事態把握",
	  "Accurate situational awareness from different kinds of monitoring "
	  "(attacks inducing wrong decisions)", "iii",
	  S001 "26983 手引書【別紙】7 誤った判断や対処を誘発する攻撃が行われる可能性" },
	{ NULL, NULL, NULL, NULL, NULL }
};

static const char *const likelihood_ja[] = { "まれ", "起こりにくい",
	"起こりうる", "起こりやすい", "ほぼ確実" };
static const char *const likelihood_en[] = { "Rare", "Unlikely", "Possible",
	"Likely", "Almost certain" };
static const char *const impact_ja[] = { "軽微", "小", "中", "大", "甚大" };
static const char *const impact_en[] = { "Negligible", "Minor", "Moderate",
	"Major", "Severe" };

json_t *
risk_matrix_default(void)
{
	json_t *l = json_array(), *i = json_array();

	for (int k = 0; k < 5; k++) {
		json_array_append_new(l, json_pack("{s:s, s:s}", "ja",
		    likelihood_ja[k], "en", likelihood_en[k]));
		json_array_append_new(i, json_pack("{s:s, s:s}", "ja",
		    impact_ja[k], "en", impact_en[k]));
	}
	return json_pack("{s:o, s:o, s:[{s:s, s:i}, {s:s, s:i}, {s:s, s:i},"
	    " {s:s, s:i}], s:i}", "likelihood", l, "impact", i, "bands",
	    "id", "low", "max", 4, "id", "medium", "max", 9, "id", "high", "max",
	    16, "id", "critical", "max", 25, "appetite", 4);
}

static enum cs_err
levels(json_t *a, const char *name, int *n, struct cs_error *e)
{
	char path[48];
	json_t *v;
	size_t k;

	if (!json_is_array(a) || json_array_size(a) < RISK_LEVELS_MIN ||
	    json_array_size(a) > RISK_LEVELS_MAX)
		return cs_fail(e, CS_EINVAL, name, "a list of %d to %d levels",
		    RISK_LEVELS_MIN, RISK_LEVELS_MAX);
	json_array_foreach(a, k, v) {
		const char *key;
		json_t *m;

		cs_fmt(path, sizeof(path), "%s.%zu", name, k);
		if (!json_is_object(v))
			return cs_fail(e, CS_EINVAL, path, "a level {\"ja\", \"en\"}");
		json_object_foreach(v, key, m) {
			cs_fmt(path, sizeof(path), "%s.%zu.%s", name, k, key);
			if (strcmp(key, "ja") != 0 && strcmp(key, "en") != 0)
				return cs_fail(e, CS_EINVAL, path, "unknown field");
			if (!json_is_string(m) || json_string_length(m) == 0 ||
			    json_string_length(m) > 80)
				return cs_fail(e, CS_EINVAL, path, "a label of 1 to "
				    "80 bytes");
		}
		if (json_object_get(v, "ja") == NULL) {
			cs_fmt(path, sizeof(path), "%s.%zu.ja", name, k);
			return cs_fail(e, CS_EINVAL, path, "required field is missing");
		}
	}
	*n = (int)json_array_size(a);
	return CS_OK;
}

static bool
band_id_ok(const char *s)
{
	size_t n = s != NULL ? strlen(s) : 0;

	if (n == 0 || n >= 24)
		return false;
	for (size_t k = 0; k < n; k++)
		if (!((s[k] >= 'a' && s[k] <= 'z') || s[k] == '_' ||
		    (s[k] >= '0' && s[k] <= '9')))
			return false;
	return true;
}

enum cs_err
risk_matrix_parse(json_t *j, struct risk_matrix *m, struct cs_error *e)
{
	json_t *b = json_object_get(j, "bands"), *ap = json_object_get(j,
	    "appetite"), *v;
	const char *key;
	char path[48];
	enum cs_err rc;
	size_t k;

	memset(m, 0, sizeof(*m));
	if (!json_is_object(j))
		return cs_fail(e, CS_EINVAL, "", "a matrix object");
	json_object_foreach(j, key, v)
		if (strcmp(key, "likelihood") && strcmp(key, "impact") &&
		    strcmp(key, "bands") && strcmp(key, "appetite"))
			return cs_fail(e, CS_EINVAL, key, "unknown field");
	if ((rc = levels(json_object_get(j, "likelihood"), "likelihood", &m->nl,
	    e)) != CS_OK || (rc = levels(json_object_get(j, "impact"), "impact",
	    &m->ni, e)) != CS_OK)
		return rc;
	if (!json_is_array(b) || json_array_size(b) == 0 ||
	    json_array_size(b) > RISK_BANDS_MAX)
		return cs_fail(e, CS_EINVAL, "bands", "a list of 1 to %d bands",
		    RISK_BANDS_MAX);
	json_array_foreach(b, k, v) {
		json_t *mx = json_object_get(v, "max");
		const char *id = json_string_value(json_object_get(v, "id"));
		int lo = k == 0 ? 0 : m->band_max[k - 1];

		cs_fmt(path, sizeof(path), "bands.%zu", k);
		if (!json_is_object(v) || json_object_size(v) != 2)
			return cs_fail(e, CS_EINVAL, path, "a band {\"id\", \"max\"}");
		cs_fmt(path, sizeof(path), "bands.%zu.id", k);
		if (!band_id_ok(id))
			return cs_fail(e, CS_EINVAL, path, "a-z, 0-9 and _, 1 to "
			    "23 bytes");
		for (size_t p = 0; p < k; p++)
			if (strcmp(m->band_id[p], id) == 0)
				return cs_fail(e, CS_EINVAL, path, "a duplicate band");
		cs_fmt(path, sizeof(path), "bands.%zu.max", k);
		if (!json_is_integer(mx) || json_integer_value(mx) <= lo ||
		    json_integer_value(mx) > m->nl * m->ni)
			return cs_fail(e, CS_EINVAL, path, "the band's highest "
			    "score, above the band before and at most %d",
			    m->nl * m->ni);
		cs_fmt(m->band_id[k], sizeof(m->band_id[k]), "%s", id);
		m->band_max[k] = (int)json_integer_value(mx);
	}
	m->nbands = (int)json_array_size(b);
	if (m->band_max[m->nbands - 1] != m->nl * m->ni) {
		cs_fmt(path, sizeof(path), "bands.%d.max", m->nbands - 1);
		return cs_fail(e, CS_EINVAL, path, "the last band ends at the "
		    "highest score, %d", m->nl * m->ni);
	}
	if (!json_is_integer(ap) || json_integer_value(ap) < 0 ||
	    json_integer_value(ap) > m->nl * m->ni)
		return cs_fail(e, CS_EINVAL, "appetite", "the highest score "
		    "accepted without treatment, 0 to %d", m->nl * m->ni);
	m->appetite = (int)json_integer_value(ap);
	return CS_OK;
}

int
risk_score(const struct risk_matrix *m, int l, int i)
{
	if (l < 1 || l > m->nl || i < 1 || i > m->ni)
		return -1;
	return l * i;
}

const char *
risk_band(const struct risk_matrix *m, int score)
{
	if (score < 1)
		return NULL;
	for (int k = 0; k < m->nbands; k++)
		if (score <= m->band_max[k])
			return m->band_id[k];
	return NULL;
}

const char *
risk_list_id(enum risk_list l)
{
	return l == RISK_LIST_VIEWPOINTS ? "viewpoints" : "readiness";
}

const struct risk_check_item *
risk_list_items(enum risk_list l)
{
	return l == RISK_LIST_VIEWPOINTS ? risk_viewpoints : risk_readiness;
}

const struct risk_check_item *
risk_check_find(enum risk_list l, const char *id)
{
	if (id == NULL)
		return NULL;
	for (const struct risk_check_item *c = risk_list_items(l); c->id != NULL;
	    c++)
		if (strcmp(c->id, id) == 0)
			return c;
	return NULL;
}

static const char *const status_ids[] = { "unanswered", "done", "partial",
	"gap", "not_applicable" };

int
risk_check_status_parse(const char *s)
{
	if (s == NULL)
		return -1;
	for (int k = RISK_CHECK_DONE; k <= RISK_CHECK_NA; k++)
		if (strcmp(s, status_ids[k]) == 0)
			return k;
	return -1;
}

const char *
risk_check_status_id(enum risk_check_status s)
{
	return (unsigned)s <= RISK_CHECK_NA ? status_ids[s] : "unanswered";
}

int
risk_treatment_parse(const char *s)
{
	static const char *const t[] = { "avoid", "reduce", "transfer", "accept" };

	if (s == NULL)
		return -1;
	for (int k = 0; k < 4; k++)
		if (strcmp(s, t[k]) == 0)
			return k;
	return -1;
}

bool
risk_plan_wants(const struct risk_matrix *m, int score, int treatment)
{
	return score > m->appetite || treatment != RISK_ACCEPT;
}

/* The check's position in its list, for the last tie-break. */
static int
check_pos(const struct risk_plan_item *p)
{
	const struct risk_check_item *c;
	int k = 0;

	if (p->check == NULL)
		return 0;
	for (c = risk_list_items(p->kind == RISK_PLAN_VIEWPOINT ?
	    RISK_LIST_VIEWPOINTS : RISK_LIST_READINESS); c->id != NULL; c++, k++)
		if (strcmp(c->id, p->check) == 0)
			return k;
	return k;
}

#define CMP(a, b)	do { if ((a) != (b)) return (a) < (b) ? -1 : 1; } while (0)

static int
plan_cmp(const void *x, const void *y)
{
	const struct risk_plan_item *a = x, *b = y;
	int ra = a->review != 0 ? a->review : 99999999;
	int rb = b->review != 0 ? b->review : 99999999;

	CMP(b->score, a->score);
	CMP(b->overdue, a->overdue);
	CMP(ra, rb);
	CMP(b->residual, a->residual);
	CMP(a->kind, b->kind);
	CMP(a->status == RISK_CHECK_PARTIAL, b->status == RISK_CHECK_PARTIAL);
	CMP(a->id, b->id);
	CMP(check_pos(a), check_pos(b));
	return 0;
}

void
risk_plan_order(struct risk_plan_item *v, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		if (v[k].kind == RISK_PLAN_RISK)
			continue;
		v[k].score = 0;
		v[k].residual = -1;
		for (size_t r = 0; r < n; r++)
			if (v[r].kind == RISK_PLAN_RISK && v[r].viewpoint != NULL &&
			    v[k].viewpoint != NULL &&
			    strcmp(v[r].viewpoint, v[k].viewpoint) == 0 &&
			    v[r].score > v[k].score)
				v[k].score = v[r].score;
	}
	if (n > 1)
		qsort(v, n, sizeof(*v), plan_cmp);
}

int
risk_date_parse(const char *s)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30,
		31 };
	int y, mo, d;

	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (int k = 0; k < 10; k++)
		if (k != 4 && k != 7 && (s[k] < '0' || s[k] > '9'))
			return 0;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	mo = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1900 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1])
		return 0;
	if (mo == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 0;
	return y * 10000 + mo * 100 + d;
}

int
risk_today(int64_t now_us)
{
	/* days since 1970-01-01 in Japan time, then the civil date (H. Hinnant) */
	int64_t z = (now_us / 1000000 + 9 * 3600) / 86400 + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1;
	int64_t m = mp < 10 ? mp + 3 : mp - 9;

	if (m <= 2)
		y++;
	return (int)(y * 10000 + m * 100 + d);
}
