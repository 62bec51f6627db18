/*
 * gen.c: builds a realistic cishare data set for the benchmarks, straight
 * through the store API (no HTTP), in large transactions.
 *
 *   bench/gen --db URL [--reports N] [--advisories N] [--orgs N]
 *             [--users N] [--ceptoars N] [--fanout N] [--op-tokens N]
 *             [--seed S] [--tokens FILE] [--key-file FILE] [--batch N]
 *
 * The shape follows what the operations write (src/svc/report.c and
 * advisory.c; the anonymised write of a report's source form and identity
 * goes through svc itself, one row at a time, so no copy of it lives
 * here); every report is a series of 1-3 versions, each stored once
 * per hop that handled it; 70% go direct and have reached NISC with an
 * R-number, 20% took the anonymised CEPTOAR route (source form and identity
 * sealed to the secretariat, anonymised copies at later hops), 10% are
 * urgent.  Advisories are issued to the ministries of their recipient
 * sectors, relayed to the sectors' CEPTOARs and on to member operators,
 * with an inbox event per delivery.
 *
 * Users get no password (argon2id would dominate the run) except three.
 * Bearer tokens of a few hundred principals of every kind are written to
 * the tokens file for bench/run, one per line:
 *   KIND TOKEN USER ORG SECTOR      (KIND: admin nisc ministry ceptoar operator)
 *   report ID TOKEN                 (a direct report its token's org filed)
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "gen/vocab.h"
#include "svc/svc_boot.h"
#include "svc/svc_obs.h"
#include "svc/svc_report.h"

struct opts {
	const char	*db;
	const char	*tokens;
	const char	*key_file;
	int64_t		 reports;
	int64_t		 advisories;
	int64_t		 orgs;
	int64_t		 users;
	int64_t		 ceptoars;
	int64_t		 fanout;	/* operators per advisory, 0 = auto */
	int64_t		 op_tokens;
	int64_t		 seed;
	int64_t		 batch;
};

/* One generated organisation, as the generator needs it. */
struct gorg {
	int64_t			 id;
	enum cs_org_type	 type;
	int			 sector;	/* -1: none or several */
	uint32_t		 sectors;
	int64_t			 ceptoar;	/* org id */
	int			 cep_idx;	/* index in g.ceps, -1 */
	unsigned char		 pk[32];
	char			*name;
	char			*domain;
	int64_t			 user0;		/* first user id */
	int			 nusers;
	char			*token;		/* bearer token, if written to the file */
};

struct gen {
	struct opts	 o;
	struct store	*st;
	uint64_t	 rng;
	struct gorg	*orgs;
	size_t		 norgs;
	size_t		 nisc, cas;
	size_t		 min0;		/* first ministry index (15 of them) */
	size_t		*ceps;		/* org indices of CEPTOARs */
	size_t		 nceps;
	size_t		*ops;		/* org indices of operators */
	size_t		 nops;
	size_t		*sec_ceps[CS_NSECTORS];
	size_t		 nsec_ceps[CS_NSECTORS];
	size_t		**cep_members;	/* per CEPTOAR: operator org indices */
	size_t		*ncep_members;
	FILE		*tokf;
	int64_t		 ops_in_tx;
	int64_t		 rows;
	int64_t		 t0_us;
	int64_t		 base_us;	/* the data set starts 3 years ago */
	int		 nsamples;
};

/* Sector and ministry names: the generated vocabulary (gen/vocab.h). */
#define SECTOR_JA(s)	(vocab_sector[(s)].short_ja)
static const char *ministry_ja(int);
/* Operator suffix per sector, and the share of operators in it (%). */
static const char *const op_kind_ja[CS_NSECTORS] = {
	"通信", "銀行", "航空", "空港ビル", "鉄道", "電力", "ガス", "市役所",
	"総合病院", "水道局", "運輸", "化学工業", "カード", "石油", "港運"
};
static const int sector_weight[CS_NSECTORS] = {
	8, 20, 1, 1, 3, 3, 3, 25, 10, 10, 4, 2, 3, 1, 6
};
static const char *const place_ja[] = {
	"東都", "北海", "東北", "関東", "中部", "北陸", "近畿", "中国", "四国",
	"九州", "沖縄", "みなと", "さくら", "あおば", "ひかり", "みらい", "やまと",
	"しなの", "なにわ", "はりま", "きび", "とさ", "ちくし", "ひむか", "さつま"
};
static const char *const family_ja[] = {
	"佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林",
	"加藤", "吉田", "山田", "佐々木", "山口", "松本", "井上", "木村", "林"
};
static const char *const given_ja[] = {
	"一郎", "花子", "健太", "美咲", "大輔", "由美", "翔太", "愛", "誠",
	"直子", "拓也", "恵", "悠斗", "陽菜", "浩二", "真理"
};
static const char *const dept_ja[] = {
	"情報システム部", "CSIRT", "セキュリティ統括室", "IT企画部",
	"システム運用課", "危機管理室", "総務部情報管理課"
};
static const char *const event_summary_ja[VOCAB_EVENT_TYPE_N] = {
	"不審な通信を検知したが、侵入には至っていないことを確認した。引き続き通信ログの分析を行っている。",
	"外部公開サーバから顧客情報の一部が外部に送信された可能性があることが判明した。対象件数を調査中である。",
	"ファイルサーバ上の業務データが暗号化され、一部のデータが利用できない状態となった。バックアップからの復旧を進めている。",
	"基幹システムが外部からの大量通信により応答不能となり、利用者向けサービスが一時停止した。",
	"職員端末においてマルウェア感染を検知した。感染端末はネットワークから隔離し、影響範囲を調査している。",
	"業務サーバ上で不正なスクリプトが実行された痕跡を確認した。実行された処理の内容を解析中である。",
	"VPN機器の脆弱性を悪用した不正アクセスにより、内部ネットワークへの侵入を受けた可能性がある。",
	"委託先の作業端末に起因すると思われる不審な挙動を確認した。詳細は委託先と連携して確認中である。"
};
static const char *const system_ja[] = {
	"インターネットバンキングシステム", "電力需給管理システム", "ガス供給監視システム",
	"列車運行管理システム", "住民情報システム", "電子カルテシステム",
	"水道施設監視制御システム", "物流倉庫管理システム", "予約発券システム",
	"基幹業務システム", "社内メールサーバ", "外部公開Webサーバ"
};
static const char *const timeline_ja[] = {
	"監視センターにてアラートを検知", "システム担当者が事象を確認",
	"CSIRTへ報告し対応を開始", "影響のある端末をネットワークから隔離",
	"所管省庁へ第一報を連絡", "外部セキュリティベンダーに調査を依頼",
	"バックアップからの復旧作業を開始", "サービスを再開し監視を強化",
	"経営層へ状況を報告", "ログの保全を完了"
};
static const char *const supplement_ja[] = {
	"現時点で二次被害は確認されていない。攻撃元IPアドレスは海外のホスティング事業者のものであり、ファイアウォールで遮断済みである。",
	"同様の手口による攻撃が同業他社でも確認されているとの情報があり、業界団体を通じて注意喚起を行う予定である。",
	"影響を受けた利用者への個別連絡を準備している。問合せ窓口を設置し、想定問答を作成中である。",
	"原因となった脆弱性については、ベンダーから修正プログラムが公開されており、適用作業を計画している。"
};
static const char *const lessons_ja[] = {
	"多要素認証の導入範囲を拡大し、外部接続機器の脆弱性管理を徹底する。",
	"標的型メール訓練を年二回に増やし、不審メールの報告手順を周知する。",
	"委託先管理の規程を見直し、作業端末のセキュリティ要件を契約に明記する。",
	"ログの保存期間を延長し、監視体制を二十四時間化することを検討する。"
};
static const char *const adv_summary_ja[] = {
	"VPN装置の認証回避の脆弱性を悪用した攻撃が国内で複数確認されています。",
	"実在する組織を装った標的型メールにより、マルウェアに感染させる攻撃が増加しています。",
	"ランサムウェアによる被害が重要インフラ事業者において相次いで報告されています。",
	"大規模なDDoS攻撃の予告が確認されており、複数の分野が標的となる可能性があります。",
	"業務用ソフトウェアの更新機能を悪用したサプライチェーン攻撃が確認されています。"
};
static const char *const adv_measure_ja[] = {
	"該当製品を利用している場合は、ベンダーが公開している修正プログラムを速やかに適用してください。また、不審な通信の有無をログで確認してください。",
	"添付ファイルやリンクを含むメールの取扱いについて職員へ改めて注意喚起を行い、不審なメールは情報システム部門へ報告するよう周知してください。",
	"オフラインバックアップの取得状況と復旧手順を確認し、外部から接続可能な機器の棚卸しを実施してください。",
	"上位回線事業者との連携体制を確認し、DDoS対策サービスの設定と緊急時の連絡先を点検してください。"
};

/* ---- small helpers --------------------------------------------------- */

/* The Japanese name of sector s's CI ministry (data/sectors.json, actors.json). */
static const char *
ministry_ja(int s)
{
	int i = vocab_index(vocab_org, vocab_sector[s].parent);

	return i < 0 ? vocab_sector[s].parent : vocab_org[i].label_ja;
}

static uint64_t
rnd(struct gen *g)
{
	uint64_t z = (g->rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static int64_t
rndn(struct gen *g, int64_t n)
{
	return n <= 1 ? 0 : (int64_t)(rnd(g) % (uint64_t)n);
}

static int
pct(struct gen *g, int p)
{
	return rndn(g, 100) < p;
}

#define PICK(g, a) ((a)[rndn((g), (int64_t)(sizeof(a) / sizeof((a)[0])))])

static void __attribute__((noreturn))
usage(int code)
{
	fprintf(code ? stderr : stdout,
	    "usage: gen --db URL [--reports N] [--advisories N] [--orgs N]\n"
	    "           [--users N] [--ceptoars N] [--fanout N] [--op-tokens N]\n"
	    "           [--seed S] [--tokens FILE] [--key-file FILE] [--batch N]\n"
	    "defaults: 1000000 reports, 100000 advisories, 10000 orgs, 50000 users,\n"
	    "50 CEPTOARs, fan-out auto (>= 20 operators per advisory, enough for\n"
	    "~60 inbox items per operator), 1000 operator tokens, seed 1,\n"
	    "tokens bench/out/tokens.txt, key file DB.key, 10000 rows per transaction\n");
	exit(code);
}

static int64_t
num_arg(const char *s, int64_t min, int64_t max, const char *what)
{
	int64_t v;

	if (cs_str_to_i64(s, min, max, &v) != CS_OK) {
		fprintf(stderr, "gen: %s must be a number from %lld to %lld\n", what,
		    (long long)min, (long long)max);
		usage(64);
	}
	return v;
}

/* The numeric options: flag, member of struct opts, default and bounds. */
static const struct num_opt {
	const char	*flag;
	size_t		 off;
	int64_t		 def, min, max;
} num_opts[] = {
	{ "--reports", offsetof(struct opts, reports), 1000000, 0, 100000000 },
	{ "--advisories", offsetof(struct opts, advisories), 100000, 0, 10000000 },
	{ "--orgs", offsetof(struct opts, orgs), 10000, 200, 1000000 },
	{ "--users", offsetof(struct opts, users), 50000, 1000, 10000000 },
	{ "--ceptoars", offsetof(struct opts, ceptoars), 50, 15, 1000 },
	{ "--fanout", offsetof(struct opts, fanout), 0, 0, 100000 },
	{ "--op-tokens", offsetof(struct opts, op_tokens), 1000, 1, 100000 },
	{ "--seed", offsetof(struct opts, seed), 1, 0, INT64_MAX },
	{ "--batch", offsetof(struct opts, batch), 10000, 1, 10000000 },
};
#define NUM_OPTS	(sizeof(num_opts) / sizeof(num_opts[0]))
/* The member of o that numeric option n sets. */
#define NUM_OPT(o, n)	(*(int64_t *)(void *)((char *)(o) + (n)->off))

static void
parse(int argc, char *argv[], struct opts *o)
{
	const struct num_opt *n;

	memset(o, 0, sizeof(*o));
	for (n = num_opts; n < num_opts + NUM_OPTS; n++)
		NUM_OPT(o, n) = n->def;
	o->tokens = "bench/out/tokens.txt";
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

#define ARG(f) (strcmp(a, f) == 0 && (i + 1 < argc || (usage(64), 0)))
		for (n = num_opts; n < num_opts + NUM_OPTS &&
		    strcmp(a, n->flag) != 0; n++)
			;
		if (n < num_opts + NUM_OPTS && ARG(n->flag))
			NUM_OPT(o, n) = num_arg(argv[++i], n->min, n->max, a);
		else if (ARG("--db"))
			o->db = argv[++i];
		else if (ARG("--tokens"))
			o->tokens = argv[++i];
		else if (ARG("--key-file"))
			o->key_file = argv[++i];
		else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0)
			usage(0);
		else {
			fprintf(stderr, "gen: unknown argument %s\n", a);
			usage(64);
		}
#undef ARG
	}
	if (o->db == NULL) {
		fprintf(stderr, "gen: --db is required\n");
		usage(64);
	}
}

/* The master key, read from or written to DB.key exactly as cishared does. */
static void
load_key(const struct opts *o)
{
	struct cs_error e;
	char *path;

	if (o->key_file != NULL)
		path = xstrdup(o->key_file);
	else
		path = xasprintf("%s.key", strncmp(o->db, "sqlite:", 7) == 0 ?
		    o->db + 7 : o->db);
	if (svc_key_load(path, true, &e) != CS_OK)
		fatalx("%s", e.msg);
	free(path);
}

static void
check(enum cs_err rc, const char *what)
{
	if (rc != CS_OK)
		fatalx("gen: %s failed: %s", what, cs_err_name(rc));
}

static void
tx_begin(struct gen *g)
{
	check(store_begin(g->st), "begin");
	g->ops_in_tx = 0;
}

/* Counts written rows; commits and reopens the transaction every batch. */
static void
wrote(struct gen *g, int64_t n)
{
	g->rows += n;
	g->ops_in_tx += n;
	if (g->ops_in_tx >= g->o.batch) {
		check(store_commit(g->st), "commit");
		tx_begin(g);
	}
}

static double
secs_since(int64_t t0)
{
	return (double)(cs_time_now_us() - t0) / 1e6;
}

static void
progress(struct gen *g, const char *what, int64_t done, int64_t total,
    int64_t t0, int64_t rows0, bool last)
{
	static int64_t shown_us;
	int64_t now = cs_time_now_us();
	double s;

	if (!last && now - shown_us < 2000000)
		return;
	shown_us = now;
	s = secs_since(t0);
	if (s <= 0)
		s = 1e-6;
	fprintf(stderr, "gen: %-10s %9lld/%-9lld %3d%%  %8.0f %s/s  %9.0f rows/s  %6.1f s\n",
	    what, (long long)done, (long long)total,
	    total ? (int)(done * 100 / total) : 100, (double)done / s, what,
	    (double)(g->rows - rows0) / s, s);
}

/* ---- organisations and people --------------------------------------- */

static size_t
add_org(struct gen *g, enum cs_org_type t, uint32_t sectors, const char *name,
    int64_t ceptoar, bool pre_arranged)
{
	struct gorg *x;
	struct store_org o;
	char *idents;

	g->orgs = xreallocarray(g->orgs, g->norgs + 1, sizeof(*g->orgs));
	x = &g->orgs[g->norgs];
	memset(x, 0, sizeof(*x));
	memset(&o, 0, sizeof(o));
	o.type = t;
	o.sectors = sectors;
	o.ceptoar = ceptoar;
	o.pre_arranged = pre_arranged;
	o.name = (char *)name;
	o.created_us = g->base_us;
	x->domain = xasprintf("org%zu.example.jp", g->norgs);
	idents = xasprintf("[\"%s\"]", x->domain);
	o.identifiers = idents;
	if (t == ORG_CEPTOAR_SEC) {
		core_org_keypair(o.pk, &o.wrapped_sk);
		o.has_pk = true;
	}
	check(store_org_insert(g->st, &o), "org insert");
	free(o.wrapped_sk);
	free(idents);
	x->id = o.id;
	x->type = t;
	x->sectors = sectors;
	x->sector = -1;
	for (int s = 0; s < CS_NSECTORS; s++)
		if (sectors == (1u << s))
			x->sector = s;
	x->ceptoar = ceptoar;
	x->cep_idx = -1;
	memcpy(x->pk, o.pk, 32);
	x->name = xstrdup(name);
	wrote(g, 1);
	return g->norgs++;
}

static int
pick_sector(struct gen *g)
{
	int r = (int)rndn(g, 100), s;

	for (s = 0; s < CS_NSECTORS - 1; s++) {
		if (r < sector_weight[s])
			break;
		r -= sector_weight[s];
	}
	return s;
}

static void
make_orgs(struct gen *g)
{
	int64_t t0 = cs_time_now_us(), rows0 = g->rows;
	int64_t nop;
	char name[256];

	tx_begin(g);
	g->nisc = add_org(g, ORG_NISC, 0,
	    "内閣サイバーセキュリティセンター（NISC）重要インフラ防護担当", 0, false);
	g->cas = add_org(g, ORG_CAS, 0, "内閣官房（事態対処・危機管理担当）", 0, false);
	(void)add_org(g, ORG_CS_MINISTRY, 0, "デジタル庁", 0, false);
	(void)add_org(g, ORG_IR_MINISTRY, 0, "警察庁", 0, false);
	(void)add_org(g, ORG_DM_MINISTRY, 0, "内閣府（防災担当）", 0, false);
	(void)add_org(g, ORG_CS_AGENCY, 0, "JPCERTコーディネーションセンター", 0, true);
	(void)add_org(g, ORG_CS_AGENCY, 0, "情報処理推進機構（IPA）", 0, false);
	for (int i = 0; i < 3; i++) {
		cs_fmt(name, sizeof(name), "%sサイバーセキュリティ株式会社",
		    place_ja[i]);
		(void)add_org(g, ORG_CYBER_BUSINESS, 0, name, 0, false);
	}
	g->min0 = g->norgs;
	for (int s = 0; s < CS_NSECTORS; s++) {
		cs_fmt(name, sizeof(name), "%s（%s分野所管）", ministry_ja(s),
		    SECTOR_JA(s));
		(void)add_org(g, ORG_CI_MINISTRY, 1u << s, name, 0, false);
	}
	g->ceps = xcalloc((size_t)g->o.ceptoars, sizeof(*g->ceps));
	for (int64_t i = 0; i < g->o.ceptoars; i++) {
		int s = (int)(i % CS_NSECTORS);
		size_t k;

		cs_fmt(name, sizeof(name), "%sCEPTOAR（第%lld部会）", SECTOR_JA(s),
		    (long long)(i / CS_NSECTORS + 1));
		k = add_org(g, ORG_CEPTOAR_SEC, 1u << s, name, 0, false);
		g->orgs[k].cep_idx = (int)g->nceps;
		g->ceps[g->nceps++] = k;
		g->sec_ceps[s] = xreallocarray(g->sec_ceps[s], g->nsec_ceps[s] + 1,
		    sizeof(size_t));
		g->sec_ceps[s][g->nsec_ceps[s]++] = k;
	}
	g->cep_members = xcalloc(g->nceps, sizeof(*g->cep_members));
	g->ncep_members = xcalloc(g->nceps, sizeof(*g->ncep_members));
	nop = g->o.orgs - (int64_t)g->norgs - 1;	/* the platform org exists */
	if (nop < 1)
		fatalx("gen: --orgs too small for the fixed organisations");
	g->ops = xcalloc((size_t)nop, sizeof(*g->ops));
	for (int64_t i = 0; i < nop; i++) {
		int s = pick_sector(g);
		int64_t cep = 0;
		size_t k, ci = 0;
		bool member = pct(g, 85) && g->nsec_ceps[s] > 0;

		if (member) {
			ci = g->sec_ceps[s][rndn(g, (int64_t)g->nsec_ceps[s])];
			cep = g->orgs[ci].id;
		}
		cs_fmt(name, sizeof(name), "%s第%lld%s", PICK(g, place_ja),
		    (long long)(i + 1), op_kind_ja[s]);
		k = add_org(g, ORG_CI_OPERATOR, 1u << s, name, cep, false);
		g->ops[g->nops++] = k;
		if (member) {
			int c = g->orgs[ci].cep_idx;

			g->orgs[k].cep_idx = c;
			g->cep_members[c] = xreallocarray(g->cep_members[c],
			    g->ncep_members[c] + 1, sizeof(size_t));
			g->cep_members[c][g->ncep_members[c]++] = k;
		}
		progress(g, "orgs", i + 1, nop, t0, rows0, false);
	}
	check(store_commit(g->st), "commit");
	progress(g, "orgs", nop, nop, t0, rows0, true);
}

static char *
token_for(struct gen *g, int64_t user)
{
	struct store_token t;
	char *tok;

	memset(&t, 0, sizeof(t));
	check(store_counter_next(g->st, "token", &t.id), "token counter");
	tok = core_token_new(t.id, t.hash);
	t.user = user;
	t.label = (char *)"bench";
	t.created_us = cs_time_now_us();
	check(store_token_insert(g->st, &t), "token insert");
	wrote(g, 1);
	return tok;
}

static void
write_token(struct gen *g, const char *kind, const char *tok, int64_t user,
    const struct gorg *x)
{
	fprintf(g->tokf, "%s %s %lld %lld %s\n", kind, tok, (long long)user,
	    (long long)x->id, x->sector >= 0 ? core_sector_id(x->sector) : "-");
}

/* n users for org k; roles of the first and the rest. */
static void
add_users(struct gen *g, size_t k, int n, unsigned first_roles,
    unsigned roles, int *seq)
{
	struct gorg *x = &g->orgs[k];

	for (int i = 0; i < n; i++) {
		struct store_user u;
		char login[96], dname[96], email[160], phone[32];

		memset(&u, 0, sizeof(u));
		cs_fmt(login, sizeof(login), "u%d.o%zu", (*seq)++, k);
		cs_fmt(dname, sizeof(dname), "%s %s", PICK(g, family_ja),
		    PICK(g, given_ja));
		cs_fmt(email, sizeof(email), "%s@%s", login, x->domain);
		cs_fmt(phone, sizeof(phone), "0%lld-%04lld-%04lld",
		    (long long)(3 + rndn(g, 6)), (long long)rndn(g, 10000),
		    (long long)rndn(g, 10000));
		u.org = x->id;
		u.login = login;
		u.display_name = dname;
		u.email = email;
		u.phone = phone;
		u.department = (char *)PICK(g, dept_ja);
		u.roles = i == 0 ? first_roles : roles;
		/* Some operator staff are contractors (never read AMBER+STRICT/RED). */
		u.nda_contractor = x->type == ORG_CI_OPERATOR && i > 1 && pct(g, 20);
		u.created_us = g->base_us;
		core_login_hash(login, u.login_hash);
		check(store_user_insert(g->st, &u), "user insert");
		if (i == 0) {
			x->user0 = u.id;
		}
		x->nusers++;
		wrote(g, 1);
	}
}

static void
make_users(struct gen *g)
{
	int64_t t0 = cs_time_now_us(), rows0 = g->rows;
	int64_t fixed = 0, left;
	int seq = 0;
	size_t ntok = 0;

	tx_begin(g);
	/* NISC, CAS, the other national bodies, ministries, CEPTOARs. */
	add_users(g, g->nisc, 20, ROLE_ANALYST | ROLE_APPROVER, ROLE_ANALYST, &seq);
	fixed += 20;
	for (size_t k = 0; k < g->min0; k++) {
		if (k == g->nisc || g->orgs[k].nusers > 0)
			continue;
		add_users(g, k, 5, ROLE_MEMBER | ROLE_ORG_ADMIN, ROLE_MEMBER, &seq);
		fixed += 5;
	}
	for (size_t s = 0; s < CS_NSECTORS; s++) {
		add_users(g, g->min0 + s, 10, ROLE_LIAISON | ROLE_ORG_ADMIN,
		    ROLE_LIAISON, &seq);
		fixed += 10;
	}
	for (size_t c = 0; c < g->nceps; c++) {
		add_users(g, g->ceps[c], 5, ROLE_POC | ROLE_ORG_ADMIN, ROLE_POC |
		    ROLE_MEMBER, &seq);
		fixed += 5;
	}
	left = g->o.users - fixed - 1;	/* the admin exists */
	if (left < (int64_t)g->nops)
		left = (int64_t)g->nops;
	for (size_t i = 0; i < g->nops; i++) {
		int n = (int)(left / (int64_t)g->nops +
		    ((int64_t)i < left % (int64_t)g->nops ? 1 : 0));

		add_users(g, g->ops[i], n, ROLE_MEMBER | ROLE_POC | ROLE_ORG_ADMIN,
		    ROLE_MEMBER, &seq);
		progress(g, "users", seq, g->o.users, t0, rows0, false);
	}
	/* Tokens for bench/run: every kind of principal. */
	for (int i = 0; i < 5; i++) {
		char *tok = token_for(g, g->orgs[g->nisc].user0 + i);

		write_token(g, "nisc", tok, g->orgs[g->nisc].user0 + i,
		    &g->orgs[g->nisc]);
		free(tok);
	}
	for (size_t s = 0; s < CS_NSECTORS; s++) {
		struct gorg *x = &g->orgs[g->min0 + s];
		char *tok = token_for(g, x->user0);

		write_token(g, "ministry", tok, x->user0, x);
		free(tok);
	}
	for (size_t c = 0; c < g->nceps; c++) {
		struct gorg *x = &g->orgs[g->ceps[c]];
		char *tok = token_for(g, x->user0);

		write_token(g, "ceptoar", tok, x->user0, x);
		free(tok);
	}
	/* Operators spread over the list (so over sectors and CEPTOARs). */
	for (size_t i = 0; i < g->nops && ntok < (size_t)g->o.op_tokens; i++) {
		size_t step = g->nops / (size_t)g->o.op_tokens;
		size_t j = step > 1 ? i * step : i;
		struct gorg *x;
		char *tok;

		if (j >= g->nops)
			break;
		x = &g->orgs[g->ops[j]];
		tok = token_for(g, x->user0);
		write_token(g, "operator", tok, x->user0, x);
		x->token = tok;
		ntok++;
	}
	check(store_commit(g->st), "commit");
	progress(g, "users", seq, g->o.users, t0, rows0, true);
}

/* A handful of users with passwords, for trying the web UI on the data set. */
static void
passwords(struct gen *g)
{
	static const size_t who[] = { 0, 1, 2 };

	tx_begin(g);
	for (size_t i = 0; i < sizeof(who) / sizeof(who[0]); i++) {
		struct store_user u;
		struct gorg *x = who[i] == 0 ? &g->orgs[g->nisc] : who[i] == 1 ?
		    &g->orgs[g->min0 + 1] : &g->orgs[g->ops[0]];
		char pw[40], login[64];

		cs_fmt(pw, sizeof(pw), "bench-password-%zu", i + 1);
		memset(&u, 0, sizeof(u));
		cs_fmt(login, sizeof(login), "bench-login-%zu", i + 1);
		u.org = x->id;
		u.login = login;
		u.display_name = (char *)"ベンチ 利用者";
		u.roles = x->type == ORG_NISC ? ROLE_ANALYST | ROLE_APPROVER :
		    x->type == ORG_CI_MINISTRY ? ROLE_LIAISON : ROLE_MEMBER;
		u.created_us = g->base_us;
		core_login_hash(login, u.login_hash);
		if ((u.pw_hash = core_password_hash(pw)) == NULL)
			fatalx("gen: password hashing failed");
		check(store_user_insert(g->st, &u), "user insert");
		free(u.pw_hash);
		fprintf(stderr, "gen: login %s password %s (%s)\n", login, pw,
		    core_org_type_id(x->type));
	}
	check(store_commit(g->st), "commit");
}

/* ---- report forms ----------------------------------------------------- */

static void
time_str(int64_t us, char *buf, size_t sz)
{
	cs_time_format(us, buf, sz);
}

static enum cs_tlp
pick_tlp(struct gen *g)
{
	int r = (int)rndn(g, 100);

	if (r < 5)
		return TLP_RED;
	if (r < 15)
		return TLP_AMBER_STRICT;
	if (r < 60)
		return TLP_AMBER;
	if (r < 95)
		return TLP_GREEN;
	return TLP_CLEAR;
}

struct rform {
	int		 sector;
	enum cs_tlp	 tlp;
	int		 event;
	int		 causes[3];
	int		 ncauses;
	int		 system;
	int64_t		 at_us;		/* discovered */
	const struct gorg *op;
	char		 obs[320];	/* observables text (bench_obs) */
};

/*
 * The observables a report or advisory names (issue 12 item 8: the
 * observable index at scale): a C2 address and domain from pools of
 * reports/4 each (so an address recurs in ~4 reports of several sectors and
 * correlates), a sample's SHA-256 unique to the item, and a CVE id from a
 * pool of 3,000.  The full data set holds ~1.5 M distinct observables
 * (1 M hashes), the quick one ~33,000.  Addresses are in 100.64.0.0/10.
 */
static void
bench_obs(struct gen *g, uint64_t uniq, char *buf, size_t sz)
{
	int64_t pool = g->o.reports / 4 > 1000 ? g->o.reports / 4 : 1000;
	int64_t ip = rndn(g, pool), dom = rndn(g, pool), cve = rndn(g, 3000);
	uint64_t z = uniq * 0x9e3779b97f4a7c15ULL + 0x5eedULL, h[4];

	for (int i = 0; i < 4; i++) {
		z += 0x9e3779b97f4a7c15ULL;
		h[i] = z;
		h[i] = (h[i] ^ (h[i] >> 30)) * 0xbf58476d1ce4e5b9ULL;
		h[i] = (h[i] ^ (h[i] >> 27)) * 0x94d049bb133111ebULL;
		h[i] ^= h[i] >> 31;
	}
	cs_fmt(buf, sz, "通信先 100.%d.%d.%d（c2-%06llx.net）への不審な通信を検知。"
	    "検体のSHA-256: %016llx%016llx%016llx%016llx。CVE-20%02d-%05d の悪用の可能性あり。",
	    64 + (int)((ip >> 16) & 63), (int)((ip >> 8) & 255), (int)(ip & 255),
	    (unsigned long long)dom, (unsigned long long)h[0],
	    (unsigned long long)h[1], (unsigned long long)h[2],
	    (unsigned long long)h[3], 18 + (int)(cve % 8), 10000 + (int)(cve / 8));
}

/*
 * One version's form as JSON text (what json_dumps(JSON_COMPACT) of the API
 * would store: UTF-8 as is).  `who` fills the 情報連絡元 group; `named`
 * keeps the affected operator's name (source and non-anonymised hops).
 */
static void
form_text(struct gen *g, struct cs_buf *b, const struct rform *f, int k,
    const char *ident, int64_t reported_us, const struct gorg *who,
    bool named)
{
	char t1[40], t2[40], t3[40];
	int nt = 3 + (int)rndn(g, 3);

	time_str(reported_us, t1, sizeof(t1));
	time_str(f->at_us, t2, sizeof(t2));
	time_str(f->at_us - 3600000000LL * (1 + rndn(g, 48)), t3, sizeof(t3));
	cs_buf_reset(b);
	cs_buf_printf(b, "{\"importance\":\"%s\",\"report_sequence_number\":%d,"
	    "\"identification_number\":\"%s\",\"reported_at\":\"%s\","
	    "\"reporter\":{\"ministry_name\":\"%s\",\"department\":\"%s\","
	    "\"contact_person\":\"%s %s\",\"phone\":\"03-%04d-%04d\","
	    "\"email\":\"csirt@%s\"},\"tlp\":\"%s\",",
	    k == 1 && f->event < 2 ? "reference" : "caution", k, ident, t1,
	    who->name, PICK(g, dept_ja), PICK(g, family_ja), PICK(g, given_ja),
	    (int)rndn(g, 10000), (int)rndn(g, 10000), who->domain,
	    core_tlp_id(f->tlp));
	if (f->tlp <= TLP_AMBER)
		cs_buf_printf(b, "\"tlp_special_notes\":\"%s\",",
		    "共有先は所管省庁及びNISCに限る。報道発表前のため取扱いに注意すること。");
	cs_buf_printf(b, "\"event_type\":\"%s\",\"cause_types\":[", vocab_event_type[f->event].id);
	for (int i = 0; i < f->ncauses; i++)
		cs_buf_printf(b, "%s\"%s\"", i ? "," : "", vocab_cause_type[f->causes[i]].id);
	cs_buf_printf(b, "],\"has_attachment\":\"%s\",\"sector\":\"%s\",",
	    pct(g, 15) ? "yes" : "no", core_sector_id(f->sector));
	if (named)
		cs_buf_printf(b, "\"affected_operator_name\":\"%s\",", f->op->name);
	cs_buf_printf(b, "\"overview\":{\"discovered_at\":\"%s\",\"occurred_at\":\"%s\","
	    "\"occurred_at_remark\":\"%s\",\"affected_system_or_contractor\":\"%s"
	    "（サーバ%lld台、端末%lld台）\",\"event_summary\":\"%s%s%s\"},",
	    t2, t3, "ログの解析結果からの推定", system_ja[f->system],
	    (long long)(1 + rndn(g, 30)), (long long)(1 + rndn(g, 500)),
	    event_summary_ja[f->event], f->obs, k > 1 ?
	    "前報以降の調査により、影響範囲が特定された。" : "");
	cs_buf_printf(b, "\"impact\":{\"system_operation_status\":\"%s\","
	    "\"service_level_deviation\":\"%s\",\"spillover_possibility\":\"%s\","
	    "\"external_response\":{\"press_release\":\"%s\","
	    "\"press_release_detail\":\"%s\",\"ppc_notification\":\"%s\","
	    "\"other_contacts_besides_nisc\":\"%s\"},\"supplementary_info\":\"%s\"},",
	    k > 1 ? "restored" : "partially_operating", pct(g, 30) ? "yes" : "no",
	    pct(g, 20) ? "yes" : "no", pct(g, 30) ? "done" : "none",
	    "自社ウェブサイトにて概要を公表予定。", pct(g, 20) ? "done" : "not_required",
	    "警察（サイバー犯罪相談窓口）へ相談済み。", PICK(g, supplement_ja));
	cs_buf_adds(b, "\"timeline\":[");
	for (int i = 0; i < nt; i++) {
		time_str(f->at_us + 1800000000LL * i, t3, sizeof(t3));
		cs_buf_printf(b, "%s{\"at\":\"%s\",\"description\":\"%s\"}", i ? "," : "",
		    t3, timeline_ja[(f->event + i) % 10]);
	}
	cs_buf_printf(b, "],\"next_steps\":\"%s\",\"other_lessons_learned\":\"%s\"}",
	    k > 1 ? "post_incident_investigation" : "event_ongoing",
	    PICK(g, lessons_ja));
}

static void
add_version(struct gen *g, int64_t report, int k, enum cs_hop hop,
    const char *form, int64_t by_org, int64_t by_user, int64_t us)
{
	struct store_version v;

	memset(&v, 0, sizeof(v));
	v.report = report;
	v.version = k;
	v.hop = hop;
	v.form = (char *)form;
	v.by_org = by_org;
	v.by_user = by_user;
	v.created_us = us;
	check(store_version_insert(g->st, &v), "version insert");
	wrote(g, 1);
}

static void
path_add(struct gen *g, int64_t report, const struct gorg *x, int64_t us)
{
	struct cs_path_entry pe = { x->id, x->type, us };

	check(store_report_path_add(g->st, report, &pe), "path add");
	wrote(g, 1);
}

static char *
identity_json(const struct gorg *op, int64_t user)
{
	return xasprintf("{\"org\":%lld,\"org_name\":\"%s\",\"user\":%lld,"
	    "\"login\":\"u.o%lld\",\"email\":\"csirt@%s\"}", (long long)op->id,
	    op->name, (long long)user, (long long)op->id, op->domain);
}

static void
make_report(struct gen *g, int64_t i, struct cs_buf *b, int64_t *bytes,
    int64_t *nforms)
{
	struct store_report r;
	struct rform f;
	const struct gorg *op, *min, *cep = NULL, *nisc = &g->orgs[g->nisc];
	int64_t span = INT64_C(3) * 365 * 86400 * 1000000;
	int64_t us = g->base_us + span / (g->o.reports ? g->o.reports : 1) * i;
	int r100 = (int)rndn(g, 100), nv, reached;
	char ident[40];

	memset(&r, 0, sizeof(r));
	memset(&f, 0, sizeof(f));
	op = &g->orgs[g->ops[rndn(g, (int64_t)g->nops)]];
	f.op = op;
	f.sector = op->sector;
	f.tlp = pick_tlp(g);
	f.event = (int)rndn(g, VOCAB_EVENT_TYPE_N);
	f.ncauses = 1 + (int)rndn(g, 3);
	for (int c = 0; c < f.ncauses; c++)
		f.causes[c] = (int)((rndn(g, VOCAB_CAUSE_TYPE_N) + c * 5) %
		    VOCAB_CAUSE_TYPE_N);
	if (f.ncauses > 1 && f.causes[0] == f.causes[1])
		f.ncauses = 1;
	if (f.ncauses > 2 && (f.causes[2] == f.causes[0] || f.causes[2] == f.causes[1]))
		f.ncauses = 2;
	f.system = (int)rndn(g, 12);
	f.at_us = us - 3600000000LL * (1 + rndn(g, 24));
	bench_obs(g, (uint64_t)i, f.obs, sizeof(f.obs));
	min = &g->orgs[g->min0 + (size_t)f.sector];
	nv = r100 < 60 ? 1 : r100 < 90 ? 2 : 3;
	r100 = (int)rndn(g, 100);
	r.route = r100 < 70 ? ROUTE_DIRECT : r100 < 90 ? ROUTE_VIA_CEPTOAR :
	    ROUTE_URGENT;
	if (r.route == ROUTE_VIA_CEPTOAR) {
		if (op->cep_idx < 0)	/* no CEPTOAR: the sector's first */
			cep = &g->orgs[g->sec_ceps[f.sector][0]];
		else
			cep = &g->orgs[g->ceps[op->cep_idx]];
	}
	r.legal_duty = r.route != ROUTE_VIA_CEPTOAR && pct(g, 30);
	r.tlp = f.tlp;
	r.sector = f.sector;
	r.nversions = nv;
	r.created_us = us;
	r.updated_us = us + 3600000000LL * (nv - 1);
	/* How far the series went: 2 at NISC, 1 at the ministry, 0 at the CEPTOAR. */
	if (r.route == ROUTE_VIA_CEPTOAR) {
		int x = (int)rndn(g, 100);

		reached = x < 40 ? 0 : x < 80 ? 1 : 2;
		r.anonymised = true;
		r.ceptoar_org = cep->id;
	} else {
		reached = 2;
		r.submitter_org = op->id;
	}
	r.state = reached == 2 ? ST_AT_NISC : reached == 1 ? ST_AT_MINISTRY :
	    ST_AT_CEPTOAR;
	if (reached == 2)
		check(store_counter_next(g->st, "R", &r.r_number), "R counter");
	check(store_report_insert(g->st, &r), "report insert");
	wrote(g, 1);
	if (cep != NULL)
		path_add(g, r.id, cep, us);
	if (reached >= 1)
		path_add(g, r.id, min, us + 60000000);
	if (reached == 2)
		path_add(g, r.id, nisc, us + 120000000);
	if (r.anonymised) {
		char *idj = identity_json(op, op->user0);

		/* The same anonymised write as a filed report (svc). */
		check(svc_report_seal_source(g->st, &r, op->id, idj, cep->pk),
		    "set anon");
		free(idj);
		wrote(g, 1);
	}
	for (int k = 1; k <= nv; k++) {
		int64_t vus = us + 3600000000LL * (k - 1);

		if (r.route == ROUTE_URGENT || reached == 2)
			core_report_ident(r.r_number, k, ident, sizeof(ident));
		else
			ident[0] = '\0';
		/* The source's own form (第k報). */
		form_text(g, b, &f, k, r.route == ROUTE_URGENT ? ident : "", vus,
		    op, true);
		*bytes += (int64_t)cs_buf_len(b);
		(*nforms)++;
		check(svc_report_source_version(g->st, &r, k, cs_buf_str(b), NULL, NULL,
		    cep != NULL ? cep->pk : NULL, op->id, op->user0, vus),
		    "version insert");
		wrote(g, 1);
		if (r.route == ROUTE_URGENT)
			continue;
		/* The secretariat's anonymised forward. */
		if (r.anonymised && reached >= 1) {
			form_text(g, b, &f, k, "", vus + 60000000, cep, false);
			add_version(g, r.id, k, HOP_CEPTOAR, cs_buf_str(b),
			    cep->id, cep->user0, vus + 60000000);
		}
		/* The ministry's completed form for NISC. */
		if (reached == 2) {
			form_text(g, b, &f, k, ident, vus + 120000000, min,
			    !r.anonymised);
			add_version(g, r.id, k, HOP_MINISTRY, cs_buf_str(b),
			    min->id, min->user0, vus + 120000000);
		}
	}
	if (r.route == ROUTE_DIRECT && op->token != NULL && nv > 1 &&
	    g->nsamples < 20) {
		fprintf(g->tokf, "report %lld %s\n", (long long)r.id, op->token);
		g->nsamples++;
	}
}

static void
make_reports(struct gen *g)
{
	int64_t t0 = cs_time_now_us(), rows0 = g->rows, bytes = 0, nforms = 0;
	struct cs_buf b;

	cs_buf_init(&b, 1024 * 1024);
	tx_begin(g);
	for (int64_t i = 0; i < g->o.reports; i++) {
		make_report(g, i, &b, &bytes, &nforms);
		progress(g, "reports", i + 1, g->o.reports, t0, rows0, false);
	}
	check(store_commit(g->st), "commit");
	progress(g, "reports", g->o.reports, g->o.reports, t0, rows0, true);
	if (nforms > 0)
		fprintf(stderr, "gen: %lld report versions, %lld bytes of form JSON "
		    "on average\n", (long long)nforms, (long long)(bytes / nforms));
	cs_buf_fini(&b);
}

/* ---- advisories ------------------------------------------------------- */

static void
adv_form(struct gen *g, struct cs_buf *b, const struct store_advisory *a,
    int k, int64_t us)
{
	char t[40], ident[40], obs[320];
	bool first = true;
	int ev = (int)rndn(g, 5);

	bench_obs(g, (UINT64_C(1) << 40) + (uint64_t)a->id * 16 + (uint64_t)k,
	    obs, sizeof(obs));

	time_str(us, t, sizeof(t));
	core_advisory_ident(a->t_number, k, ident, sizeof(ident));
	cs_buf_reset(b);
	cs_buf_printf(b, "{\"importance\":\"%s\",\"advisory_sequence_number\":%d,"
	    "\"identification_number\":\"%s\",\"provided_at\":\"%s\",\"recipients\":[",
	    core_importance_id(a->importance), k, ident, t);
	for (int s = 0; s < CS_NSECTORS; s++) {
		if (!(a->sectors & (1u << s)))
			continue;
		cs_buf_printf(b, "%s{\"ministry\":%lld,\"sector\":\"%s\"}",
		    first ? "" : ",", (long long)g->orgs[g->min0 + (size_t)s].id,
		    core_sector_id(s));
		first = false;
	}
	cs_buf_printf(b, "],\"tlp\":\"%s\",\"nisc_contact\":{\"contact_person\":"
	    "\"%s %s\",\"phone\":\"03-5253-%04d\",\"email\":\"ci@nisc.example.jp\"},"
	    "\"has_attachment\":\"%s\",\"threat_content\":{\"summary\":\"%s%s%s\","
	    "\"target\":\"%s等を運用する重要インフラ事業者\"},"
	    "\"countermeasures\":\"%s\",\"other\":\"%s\"}",
	    core_tlp_id(a->tlp), PICK(g, family_ja), PICK(g, given_ja),
	    (int)rndn(g, 10000), pct(g, 20) ? "yes" : "no", adv_summary_ja[ev], obs,
	    k > 1 ? "続報として、攻撃に使用された通信先の情報を追記します。" : "",
	    PICK(g, system_ja), adv_measure_ja[ev % 4],
	    "本情報は関係者限りの取扱いとし、対応状況を所管省庁経由で御報告ください。");
}

/*
 * One delivery with its inbox event.  Alerts (警報) are acknowledged by
 * everyone, as they are in practice: otherwise the worker would spend the
 * run re-notifying three years of them (cishared re-notifies until an
 * acknowledgement).  Of the rest, 40% of operator deliveries are read and
 * half of those acknowledged.
 */
static void
deliver(struct gen *g, const struct store_advisory *a, const struct gorg *to,
    int64_t parent, const char *via, int64_t us)
{
	int64_t adv = a->id;
	struct store_delivery d;
	struct store_event ev;
	bool added;

	memset(&d, 0, sizeof(d));
	d.advisory = adv;
	d.org = to->id;
	d.parent_org = parent;
	(void)cs_strlcpy(d.via, via, sizeof(d.via));
	d.delivered_us = us;
	check(store_delivery_add(g->st, &d, &added), "delivery add");
	if (!added)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.org = to->id;
	ev.advisory = adv;
	(void)cs_strlcpy(ev.kind, "delivered", sizeof(ev.kind));
	ev.at_us = us;
	check(store_event_add(g->st, &ev), "event add");
	wrote(g, 2);
	if (a->importance == IMP_ALERT) {
		check(store_delivery_ack(g->st, adv, to->id, to->user0,
		    us + 60000000 * (1 + rndn(g, 120))), "ack");
		wrote(g, 1);
	} else if (to->type == ORG_CI_OPERATOR && pct(g, 40)) {
		check(store_delivery_mark_read(g->st, adv, to->id, us + 600000000),
		    "mark read");
		wrote(g, 1);
		if (pct(g, 50)) {
			check(store_delivery_ack(g->st, adv, to->id, to->user0,
			    us + 900000000), "ack");
			wrote(g, 1);
		}
	}
}

static void
make_advisory(struct gen *g, int64_t i, int64_t fan, struct cs_buf *b)
{
	struct store_advisory a;
	struct store_adv_version v;
	const struct gorg *nisc = &g->orgs[g->nisc];
	int64_t span = INT64_C(3) * 365 * 86400 * 1000000;
	int64_t us = g->base_us + span / (g->o.advisories ? g->o.advisories : 1) * i;
	int r = (int)rndn(g, 100), nsec, nceps = 0;
	int64_t per;

	memset(&a, 0, sizeof(a));
	a.state = ADV_ISSUED;
	a.tlp = r < 5 ? TLP_RED : r < 45 ? TLP_AMBER : r < 95 ? TLP_GREEN : TLP_CLEAR;
	r = (int)rndn(g, 100);
	a.importance = r < 10 ? IMP_ALERT : r < 60 ? IMP_CAUTION : IMP_REFERENCE;
	a.urgent = pct(g, 2);
	r = (int)rndn(g, 100);
	nsec = r < 70 ? 1 : r < 95 ? 2 + (int)rndn(g, 2) : CS_NSECTORS;
	while (__builtin_popcount(a.sectors) < nsec)
		a.sectors |= 1u << pick_sector(g);
	a.nversions = pct(g, 10) ? 2 : 1;
	a.created_by = nisc->user0 + rndn(g, 20);
	a.approved_by = a.importance == IMP_ALERT ? nisc->user0 : 0;
	a.created_us = us;
	a.issued_us = us + 60000000;
	a.updated_us = us + 3600000000LL * (a.nversions - 1);
	check(store_counter_next(g->st, "T", &a.t_number), "T counter");
	check(store_adv_insert(g->st, &a), "advisory insert");
	wrote(g, 1);
	for (int k = 1; k <= a.nversions; k++) {
		adv_form(g, b, &a, k, us + 3600000000LL * (k - 1));
		memset(&v, 0, sizeof(v));
		v.advisory = a.id;
		v.version = k;
		v.form = (char *)cs_buf_str(b);
		v.by_user = a.created_by;
		v.created_us = us + 3600000000LL * (k - 1);
		check(store_adv_version_insert(g->st, &v), "advisory version");
		wrote(g, 1);
	}
	if (g->o.reports > 0 && pct(g, 10)) {
		struct store_adv_related rel = { 1 + rndn(g, g->o.reports), false };

		check(store_adv_related_add(g->st, a.id, &rel), "related add");
		wrote(g, 1);
	}
	/* NISC -> ministries; ministries -> CEPTOARs; CEPTOARs -> members. */
	for (int s = 0; s < CS_NSECTORS; s++)
		if (a.sectors & (1u << s))
			deliver(g, &a, &g->orgs[g->min0 + (size_t)s], nisc->id,
			    a.urgent ? "copy" : "issue", a.issued_us);
	if (a.tlp == TLP_RED)
		return;
	for (int s = 0; s < CS_NSECTORS; s++)
		if (a.sectors & (1u << s))
			nceps += (int)g->nsec_ceps[s];
	per = nceps ? (fan + nceps - 1) / nceps : 0;
	for (int s = 0; s < CS_NSECTORS; s++) {
		if (!(a.sectors & (1u << s)))
			continue;
		for (size_t c = 0; c < g->nsec_ceps[s]; c++) {
			const struct gorg *cep = &g->orgs[g->sec_ceps[s][c]];
			int ci = cep->cep_idx;
			int64_t n = rndn(g, 2 * per + 1);

			deliver(g, &a, cep, a.urgent ? nisc->id :
			    g->orgs[g->min0 + (size_t)s].id, a.urgent ? "urgent" :
			    "relay", a.issued_us + 300000000);
			for (int64_t j = 0; j < n && g->ncep_members[ci] > 0; j++) {
				const struct gorg *op = &g->orgs[g->cep_members[ci][
				    rndn(g, (int64_t)g->ncep_members[ci])]];

				deliver(g, &a, op, cep->id, "relay",
				    a.issued_us + 600000000 + j * 1000000);
			}
		}
	}
}

static void
make_advisories(struct gen *g)
{
	int64_t t0 = cs_time_now_us(), rows0 = g->rows, fan = g->o.fanout;
	struct cs_buf b;

	if (fan == 0 && g->o.advisories > 0) {
		/* Enough that an operator's inbox holds ~60 items. */
		fan = (60 * (int64_t)g->nops + g->o.advisories - 1) / g->o.advisories;
		if (fan < 20)
			fan = 20;
	}
	fprintf(stderr, "gen: advisory fan-out: ~%lld operators per advisory\n",
	    (long long)fan);
	cs_buf_init(&b, 1024 * 1024);
	tx_begin(g);
	for (int64_t i = 0; i < g->o.advisories; i++) {
		make_advisory(g, i, fan, &b);
		progress(g, "advisories", i + 1, g->o.advisories, t0, rows0, false);
	}
	check(store_commit(g->st), "commit");
	progress(g, "advisories", g->o.advisories, g->o.advisories, t0, rows0, true);
	cs_buf_fini(&b);
}

/* ---- main ------------------------------------------------------------- */

static void
mkdir_for(const char *path)
{
	char *d = xstrdup(path), *p;

	for (p = d + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		(void)mkdir(d, 0755);
		*p = '/';
	}
	free(d);
}

int
main(int argc, char *argv[])
{
	struct gen g;
	struct cs_error e;
	json_t *out;
	char *v = NULL;
	enum cs_err rc;

	memset(&g, 0, sizeof(g));
	if (sodium_init() < 0)
		fatalx("libsodium failed to initialise");
	parse(argc, argv, &g.o);
	log_set_level(CS_LOG_WARN);
	g.rng = (uint64_t)g.o.seed * 0x2545f4914f6cdd1dULL + 1;
	g.t0_us = cs_time_now_us();
	g.base_us = g.t0_us - INT64_C(3) * 365 * 86400 * 1000000 -
	    INT64_C(86400) * 1000000;
	cs_error_clear(&e);
	load_key(&g.o);
	if (store_open(g.o.db, true, &g.st, &e) != CS_OK)
		fatalx("gen: %s", e.msg);
	out = json_object();
	if (svc_boot_run(g.st, false, out, &e) != CS_OK)
		fatalx("gen: bootstrap failed: %s %s", e.field, e.msg);
	check(store_begin(g.st), "begin");
	rc = store_meta_get(g.st, "bench_gen", &v);
	store_rollback(g.st);
	if (rc == CS_OK)
		fatalx("gen: %s already holds a generated data set (%s); remove it "
		    "first", g.o.db, v);
	if (json_object_get(out, "admin_token") == NULL)
		fatalx("gen: %s is not a fresh database; remove it first", g.o.db);
	mkdir_for(g.o.tokens);
	if ((g.tokf = fopen(g.o.tokens, "w")) == NULL)
		fatalx("gen: cannot write %s: %s", g.o.tokens, strerror(errno));
	printf("admin-token: %s\n",
	    json_string_value(json_object_get(out, "admin_token")));
	fprintf(g.tokf, "admin %s 1 1 -\n",
	    json_string_value(json_object_get(out, "admin_token")));
	json_decref(out);

	make_orgs(&g);
	make_users(&g);
	passwords(&g);
	make_reports(&g);
	make_advisories(&g);

	tx_begin(&g);
	{
		char desc[160];

		cs_fmt(desc, sizeof(desc), "reports=%lld advisories=%lld orgs=%lld "
		    "users=%lld ceptoars=%lld seed=%lld", (long long)g.o.reports,
		    (long long)g.o.advisories, (long long)g.o.orgs,
		    (long long)g.o.users, (long long)g.o.ceptoars,
		    (long long)g.o.seed);
		check(store_meta_set(g.st, "bench_gen", desc), "meta set");
	}
	/* The observable index of what was written directly (docs/analysis.md). */
	check(svc_obs_backfill(g.st), "observable index");
	check(store_commit(g.st), "commit");
	/* SQLite's trigram index, as the daemon's indexer would build it. */
	check(store_search_index(g.st, -1, NULL), "full-text index");
	if (fclose(g.tokf) != 0)
		fatalx("gen: cannot write %s", g.o.tokens);
	fprintf(stderr, "gen: done: %lld rows in %.1f s (%.0f rows/s); tokens in %s\n",
	    (long long)g.rows, secs_since(g.t0_us),
	    (double)g.rows / secs_since(g.t0_us), g.o.tokens);
	store_close(g.st);
	for (size_t i = 0; i < g.norgs; i++) {
		free(g.orgs[i].token);
		free(g.orgs[i].name);
		free(g.orgs[i].domain);
	}
	for (size_t c = 0; c < g.nceps; c++)
		free(g.cep_members[c]);
	for (int s = 0; s < CS_NSECTORS; s++)
		free(g.sec_ceps[s]);
	free(g.cep_members);
	free(g.ncep_members);
	free(g.ceps);
	free(g.ops);
	free(g.orgs);
	return 0;
}
