/*
 * ident: identity matching after NFKC, case folding and separator removal
 * (ident.h).
 *
 * The text is cut into chunks, each a code point and the non-starters that
 * follow it once compatibility-decomposed (so a half-width katakana and its
 * half-width voiced mark, which NFKC composes into one character, stay in
 * one chunk).  Each chunk is folded on its own with u8_casefold(NFKC) and
 * remembers the bytes and code points of the original it came from; a hit
 * in the folded text maps back through its first and last chunk.  Folding
 * chunk by chunk equals folding the whole text except across two starters
 * that compose (conjoining Hangul jamo written apart), which identity
 * strings do not contain.
 *
 * A chunk of one code point of the Basic Multilingual Plane (nearly every
 * chunk of Japanese text) is folded once per process: its 256-code-point
 * page of results is computed by libunistring on first use and kept
 * (page_of), as is whether each code point is a starter.
 *
 * Separators: white space is dropped everywhere; hyphens, dashes, the long
 * vowel mark and dots are dropped between two digits.  Needles get the same
 * treatment, so "03-1234-5678" is looked for as "0312345678".
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unicase.h>
#include <uninorm.h>
#include <unictype.h>
#include <unistr.h>

#include <jansson.h>

#include "core/ident.h"

struct chunk {
	size_t	 fstart;	/* folded bytes [fstart, fend) */
	size_t	 fend;
	size_t	 bstart;	/* original bytes */
	size_t	 bend;
	size_t	 cstart;	/* original code points */
	size_t	 cend;
};

struct folded {
	uint8_t		*s;
	size_t		 len;
	size_t		 cap;
	struct chunk	*ch;
	size_t		 nch;
	size_t		 chcap;
	size_t		*owner;		/* folded byte -> chunk index */
};

struct ident_set {
	uint8_t		**s;
	size_t		 *len;
	size_t		 *orig;		/* index in the caller's array */
	size_t		  n;
};

/* Canonical combining class of the first character c decomposes to. */
static int
leading_ccc(ucs4_t c)
{
	ucs4_t d[UC_DECOMPOSITION_MAX_LENGTH];
	int tag;

	for (int depth = 0; depth < 8; depth++) {
		if (uc_decomposition(c, &tag, d) <= 0)
			break;
		c = d[0];
	}
	return uc_combining_class(c);
}

/*
 * A page of 256 BMP code points: each one's fold as a chunk of its own
 * (bytes[off[k] .. off[k + 1]), unless !ok[k]: a surrogate, or folding
 * failed) and whether it is a starter (leading_ccc 0).  Built once under
 * page_lock, published with a release store, never freed (at most 256
 * pages, ~1 KiB of folds each for Japanese text).
 */
struct fold_page {
	uint16_t	 off[257];
	bool		 ok[256];
	bool		 starter[256];
	uint8_t		 bytes[];
};

static _Atomic(struct fold_page *) pages[256];
static pthread_mutex_t page_lock = PTHREAD_MUTEX_INITIALIZER;

static struct fold_page *
page_build(unsigned hi)
{
	uint8_t *buf[256] = { NULL };
	size_t len[256] = { 0 }, total = 0;
	struct fold_page *p;

	for (unsigned k = 0; k < 256; k++) {
		ucs4_t c = (ucs4_t)(hi << 8 | k);
		uint8_t in[4];
		int l;

		if (c >= 0xd800 && c <= 0xdfff)
			continue;
		if ((l = u8_uctomb(in, c, sizeof(in))) <= 0)
			continue;
		buf[k] = u8_casefold(in, (size_t)l, NULL, UNINORM_NFKC, NULL,
		    &len[k]);
		if (buf[k] != NULL)
			total += len[k];
	}
	p = xcalloc(1, sizeof(*p) + total);
	total = 0;
	for (unsigned k = 0; k < 256; k++) {
		p->off[k] = (uint16_t)total;
		p->starter[k] = leading_ccc((ucs4_t)(hi << 8 | k)) == 0;
		if (buf[k] == NULL)
			continue;
		p->ok[k] = true;
		memcpy(p->bytes + total, buf[k], len[k]);
		total += len[k];
		free(buf[k]);
	}
	p->off[256] = (uint16_t)total;
	return p;
}

/* The page of BMP code point c (c < 0x10000). */
static const struct fold_page *
page_of(ucs4_t c)
{
	unsigned hi = c >> 8;
	struct fold_page *p = atomic_load_explicit(&pages[hi],
	    memory_order_acquire);

	if (p != NULL)
		return p;
	pthread_mutex_lock(&page_lock);
	if ((p = atomic_load_explicit(&pages[hi], memory_order_relaxed)) == NULL) {
		p = page_build(hi);
		atomic_store_explicit(&pages[hi], p, memory_order_release);
	}
	pthread_mutex_unlock(&page_lock);
	return p;
}

/* leading_ccc(c) == 0, from the page for the BMP. */
static bool
is_starter(ucs4_t c)
{
	if (c < 0x80)
		return true;
	if (c < 0x10000)
		return page_of(c)->starter[c & 0xff];
	return leading_ccc(c) == 0;
}

static int
is_space(ucs4_t c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	    c == 0x3000 || uc_is_property_white_space(c);
}

/* Dropped between two digits (after folding). */
static int
is_digit_sep(ucs4_t c)
{
	return c == '-' || c == '.' || (c >= 0x2010 && c <= 0x2015) ||
	    c == 0x2212 || c == 0x30fc || c == 0xff70 || c == 0x2027 ||
	    c == 0x30fb;
}

static void
fold_put(struct folded *f, const uint8_t *p, size_t n)
{
	if (f->len + n > f->cap) {
		size_t cap = f->cap ? f->cap : 64;

		while (cap < f->len + n)
			cap *= 2;
		f->s = xreallocarray(f->s, cap, 1);
		f->cap = cap;
	}
	memcpy(f->s + f->len, p, n);
	f->len += n;
}

static void
fold_fini(struct folded *f)
{
	free(f->s);
	free(f->ch);
	free(f->owner);
	memset(f, 0, sizeof(*f));
}

/* A chunk's single folded code point, or 0 if it folds to more or none. */
static ucs4_t
only_char(const uint8_t *s, size_t n)
{
	ucs4_t c;
	int l;

	if (n == 0 || (l = u8_mbtouc(&c, s, n)) <= 0 || (size_t)l != n)
		return 0;
	return c;
}

static int
is_digit_at(const uint8_t *s, size_t n)
{
	return n > 0 && s[0] >= '0' && s[0] <= '9';
}

/*
 * Folds text (n bytes of valid UTF-8) into f, with separators removed.
 * With spans, f also maps each folded byte back to its chunk (ident_find);
 * without, f holds the folded bytes only.
 * Returns 0, or -1 when the text is not valid UTF-8 or folding fails.
 */
static int
fold(const uint8_t *text, size_t n, bool spans, struct folded *f)
{
	struct folded raw = { 0 };
	size_t i = 0, cp = 0;
	int rc = -1;

	memset(f, 0, sizeof(*f));
	if (u8_check(text, n) != NULL)
		return -1;
	while (i < n) {
		size_t start = i, cstart = cp;
		ucs4_t c;
		int l = u8_mbtouc(&c, text + i, n - i);

		i += (size_t)l;
		cp++;
		/* The non-starters that follow belong to this chunk. */
		while (i < n) {
			ucs4_t c2;
			int l2 = u8_mbtouc(&c2, text + i, n - i);

			if (is_starter(c2))
				break;
			i += (size_t)l2;
			cp++;
		}
		if (raw.nch == raw.chcap) {
			raw.chcap = raw.chcap ? raw.chcap * 2 : 32;
			raw.ch = xreallocarray(raw.ch, raw.chcap, sizeof(*raw.ch));
		}
		struct chunk *k = &raw.ch[raw.nch++];

		k->fstart = raw.len;
		k->bstart = start;
		k->bend = i;
		k->cstart = cstart;
		k->cend = cp;
		if (i - start == 1 && text[start] < 0x80) {
			uint8_t b = text[start];

			if (b >= 'A' && b <= 'Z')
				b += 'a' - 'A';
			fold_put(&raw, &b, 1);
		} else if (i - start == (size_t)l && c < 0x10000 &&
		    page_of(c)->ok[c & 0xff]) {
			const struct fold_page *p = page_of(c);

			fold_put(&raw, p->bytes + p->off[c & 0xff],
			    (size_t)(p->off[(c & 0xff) + 1] - p->off[c & 0xff]));
		} else {
			size_t fl = 0;
			uint8_t *fs = u8_casefold(text + start, i - start, NULL,
			    UNINORM_NFKC, NULL, &fl);

			if (fs == NULL)
				goto out;
			fold_put(&raw, fs, fl);
			free(fs);
		}
		k->fend = raw.len;
	}

	/* Drop separators; the kept chunks' folded bytes go to f. */
	if (spans)
		f->ch = xcalloc(raw.nch ? raw.nch : 1, sizeof(*f->ch));
	for (size_t j = 0; j < raw.nch; j++) {
		const struct chunk *k = &raw.ch[j];
		const uint8_t *ks = raw.s + k->fstart;
		size_t kn = k->fend - k->fstart;
		ucs4_t c = only_char(ks, kn);
		struct chunk *o;

		if (kn == 0 || (c != 0 && is_space(c)))
			continue;
		if (c != 0 && is_digit_sep(c) && f->len > 0 &&
		    f->s[f->len - 1] >= '0' && f->s[f->len - 1] <= '9') {
			/* Followed (after more separators) by a digit? */
			size_t m = j + 1;

			for (; m < raw.nch; m++) {
				const uint8_t *ms = raw.s + raw.ch[m].fstart;
				size_t mn = raw.ch[m].fend - raw.ch[m].fstart;
				ucs4_t mc = only_char(ms, mn);

				if (mn == 0 || (mc != 0 && (is_space(mc) ||
				    is_digit_sep(mc))))
					continue;
				break;
			}
			if (m < raw.nch && is_digit_at(raw.s + raw.ch[m].fstart,
			    raw.ch[m].fend - raw.ch[m].fstart))
				continue;
		}
		if (!spans) {
			fold_put(f, ks, kn);
			continue;
		}
		o = &f->ch[f->nch++];
		*o = *k;
		o->fstart = f->len;
		fold_put(f, ks, kn);
		o->fend = f->len;
	}
	if (!spans) {
		rc = 0;
		goto out;
	}
	f->owner = xcalloc(f->len ? f->len : 1, sizeof(*f->owner));
	for (size_t j = 0; j < f->nch; j++)
		for (size_t b = f->ch[j].fstart; b < f->ch[j].fend; b++)
			f->owner[b] = j;
	rc = 0;
out:
	fold_fini(&raw);
	if (rc != 0)
		fold_fini(f);
	return rc;
}

enum cs_err
ident_set_new(const char *const *needles, size_t n, struct ident_set **out)
{
	return ident_set_new_min(needles, n, IDENT_MIN_CHARS, out);
}

enum cs_err
ident_set_new_min(const char *const *needles, size_t n, size_t min_chars,
    struct ident_set **out)
{
	struct ident_set *set = xcalloc(1, sizeof(*set));

	set->s = xcalloc(n ? n : 1, sizeof(*set->s));
	set->len = xcalloc(n ? n : 1, sizeof(*set->len));
	set->orig = xcalloc(n ? n : 1, sizeof(*set->orig));
	for (size_t i = 0; i < n; i++) {
		struct folded f;

		if (needles[i] == NULL || fold((const uint8_t *)needles[i],
		    strlen(needles[i]), false, &f) != 0)
			continue;
		if (f.len == 0 || u8_mbsnlen(f.s, f.len) < min_chars) {
			fold_fini(&f);
			continue;
		}
		set->s[set->n] = f.s;
		set->len[set->n] = f.len;
		set->orig[set->n] = i;
		set->n++;
		f.s = NULL;
		fold_fini(&f);
	}
	*out = set;
	return CS_OK;
}

void
ident_set_free(struct ident_set *set)
{
	if (set == NULL)
		return;
	for (size_t i = 0; i < set->n; i++)
		free(set->s[i]);
	free(set->s);
	free(set->len);
	free(set->orig);
	free(set);
}

size_t
ident_set_count(const struct ident_set *set)
{
	return set->n;
}

enum cs_err
ident_find(const struct ident_set *set, const char *text,
    struct ident_hit **hits, size_t *nhits)
{
	struct folded f;
	struct ident_hit *h = NULL;
	size_t n = 0, cap = 0, p = 0;

	*hits = NULL;
	*nhits = 0;
	if (fold((const uint8_t *)text, strlen(text), true, &f) != 0)
		return CS_EINVAL;
	while (p < f.len) {
		size_t best = 0, which = 0;

		/* Only at the start of a code point. */
		if ((f.s[p] & 0xc0) == 0x80) {
			p++;
			continue;
		}
		for (size_t i = 0; i < set->n; i++) {
			size_t l = set->len[i];

			if (l > best && l <= f.len - p && f.s[p] == set->s[i][0] &&
			    memcmp(f.s + p, set->s[i], l) == 0) {
				best = l;
				which = i;
			}
		}
		if (best == 0) {
			p++;
			continue;
		}
		const struct chunk *a = &f.ch[f.owner[p]];
		const struct chunk *z = &f.ch[f.owner[p + best - 1]];

		if (n > 0 && a->bstart < h[n - 1].end) {
			/* Overlaps the previous hit through a shared chunk. */
			if (z->bend > h[n - 1].end) {
				h[n - 1].end = z->bend;
				h[n - 1].cend = z->cend;
			}
		} else {
			if (n == cap) {
				cap = cap ? cap * 2 : 8;
				h = xreallocarray(h, cap, sizeof(*h));
			}
			h[n].start = a->bstart;
			h[n].end = z->bend;
			h[n].cstart = a->cstart;
			h[n].cend = z->cend;
			h[n].needle = set->orig[which];
			n++;
		}
		/* Go on after the chunk the match ended in. */
		p = z->fend;
	}
	fold_fini(&f);
	*hits = h;
	*nhits = n;
	return CS_OK;
}

char *
ident_redact(const struct ident_set *set, const char *text, const char *rep)
{
	struct ident_hit *h;
	size_t n, tl, rl, len, at = 0, o = 0;
	char *out;

	if (ident_find(set, text, &h, &n) != CS_OK)
		return xstrdup(rep);
	if (n == 0)
		return NULL;
	tl = strlen(text);
	rl = strlen(rep);
	len = tl + n * rl + 1;
	out = xmalloc(len);
	for (size_t i = 0; i < n; i++) {
		memcpy(out + o, text + at, h[i].start - at);
		o += h[i].start - at;
		memcpy(out + o, rep, rl);
		o += rl;
		at = h[i].end;
	}
	memcpy(out + o, text + at, tl - at);
	o += tl - at;
	out[o] = '\0';
	free(h);
	return out;
}

char *
ident_fold(const char *text)
{
	struct folded f;
	char *out;

	if (fold((const uint8_t *)text, strlen(text), false, &f) != 0)
		return NULL;
	out = xmalloc(f.len + 1);
	if (f.len > 0)
		memcpy(out, f.s, f.len);
	out[f.len] = '\0';
	fold_fini(&f);
	return out;
}

/* Appends every string under v, folded, each followed by a newline. */
static void
fold_strings(json_t *v, struct folded *acc)
{
	const char *key;
	json_t *child;
	size_t i;

	if (json_is_string(v)) {
		char *s = ident_fold(json_string_value(v));

		if (s != NULL && *s != '\0') {
			fold_put(acc, (const uint8_t *)s, strlen(s));
			fold_put(acc, (const uint8_t *)"\n", 1);
		}
		free(s);
	} else if (json_is_object(v)) {
		json_object_foreach(v, key, child)
			fold_strings(child, acc);
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, child)
			fold_strings(child, acc);
	}
}

char *
ident_fold_json_value(const json_t *j)
{
	struct folded acc = { 0 };
	char *out;

	fold_strings((json_t *)j, &acc);
	out = xmalloc(acc.len + 1);
	if (acc.len > 0)
		memcpy(out, acc.s, acc.len);
	out[acc.len] = '\0';
	fold_fini(&acc);
	return out;
}

char *
ident_fold_json(const char *text)
{
	json_t *j = json_loads(text, 0, NULL);
	char *out;

	if (j == NULL)
		return NULL;
	out = ident_fold_json_value(j);
	json_decref(j);
	return out;
}

json_t *
ident_snippet(const char *text, const struct ident_hit *h, size_t n,
    size_t context)
{
	const uint8_t *t = (const uint8_t *)text;
	size_t tl = strlen(text), len, ws, we, off, b0, b1, cp;
	json_t *hl = json_array();
	char *out;
	json_t *j;

	len = u8_mbsnlen(t, tl);
	ws = n > 0 && h[0].cstart > context ? h[0].cstart - context : 0;
	we = ws + 4 * context;
	if (n > 0 && we < h[0].cend)
		we = h[0].cend;
	if (we > len)
		we = len;
	/* Byte offsets of code points ws and we. */
	b0 = b1 = tl;
	cp = 0;
	for (size_t i = 0; i <= tl; cp++) {
		ucs4_t c;
		int l;

		if (cp == ws)
			b0 = i;
		if (cp == we) {
			b1 = i;
			break;
		}
		if (i == tl || (l = u8_mbtouc(&c, t + i, tl - i)) <= 0)
			break;
		i += (size_t)l;
	}
	off = ws > 0 ? 1 : 0;		/* the leading "…" */
	for (size_t i = 0; i < n; i++) {
		size_t a = h[i].cstart < ws ? ws : h[i].cstart;
		size_t z = h[i].cend > we ? we : h[i].cend;

		if (a >= z)
			continue;
		json_array_append_new(hl, json_pack("{s:I, s:I}", "start",
		    (json_int_t)(a - ws + off), "end", (json_int_t)(z - ws + off)));
	}
	out = xmalloc((b1 - b0) + 7);
	out[0] = '\0';
	if (ws > 0)
		memcpy(out, "\xe2\x80\xa6", 4);	/* … and its NUL */
	memcpy(out + strlen(out), text + b0, b1 - b0);
	out[(ws > 0 ? 3 : 0) + (b1 - b0)] = '\0';
	if (we < len)
		memcpy(out + strlen(out), "\xe2\x80\xa6", 4);
	j = json_pack("{s:s, s:o}", "text", out, "highlights", hl);
	free(out);
	return j;
}
