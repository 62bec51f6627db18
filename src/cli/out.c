/*
 * out.c: what the CLI prints: terminal widths of UTF-8 text, safe copies
 * of what the server sends (no control characters reach the terminal),
 * JSON values as text and dotted JSON paths, width-aware text tables, and
 * the formatters shared by the commands (TLP names, 重要度, times).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"

static int	in_ranges(uint32_t, const uint32_t (*)[2], size_t);
static char	*vocab_text(const struct vocab_item *, json_t *, int);

/*
 * East Asian Wide and Fullwidth ranges (after Unicode's EastAsianWidth.txt,
 * coarsened), sorted: these take two terminal columns.
 */
static const uint32_t wide_ranges[][2] = {
	{ 0x1100, 0x115f },	/* Hangul Jamo initials */
	{ 0x231a, 0x231b },
	{ 0x2329, 0x232a },
	{ 0x2e80, 0x303e },	/* CJK radicals, symbols, punctuation */
	{ 0x3041, 0x33ff },	/* kana, Bopomofo, CJK compatibility */
	{ 0x3400, 0x4dbf },	/* CJK extension A */
	{ 0x4e00, 0x9fff },	/* CJK unified ideographs */
	{ 0xa000, 0xa4cf },	/* Yi */
	{ 0xa960, 0xa97f },
	{ 0xac00, 0xd7a3 },	/* Hangul syllables */
	{ 0xf900, 0xfaff },	/* CJK compatibility ideographs */
	{ 0xfe10, 0xfe19 },	/* vertical forms */
	{ 0xfe30, 0xfe6f },	/* CJK compatibility and small forms */
	{ 0xff00, 0xff60 },	/* fullwidth ASCII: Ｒ１ */
	{ 0xffe0, 0xffe6 },
	{ 0x1f300, 0x1f64f },	/* pictographs, emoticons */
	{ 0x1f900, 0x1f9ff },
	{ 0x20000, 0x2fffd },	/* CJK extensions B.. */
	{ 0x30000, 0x3fffd }
};

/* Combining and zero-width code points: no column of their own. */
static const uint32_t zero_ranges[][2] = {
	{ 0x0300, 0x036f },
	{ 0x1ab0, 0x1aff },
	{ 0x1dc0, 0x1dff },
	{ 0x200b, 0x200f },
	{ 0x20d0, 0x20ff },
	{ 0x3099, 0x309a },	/* combining (semi-)voiced marks */
	{ 0xfe00, 0xfe0f },	/* variation selectors */
	{ 0xfe20, 0xfe2f },
	{ 0xe0100, 0xe01ef }
};

/*
 * Decodes one UTF-8 sequence of at most n bytes at p into *cp and returns
 * its length; an invalid, overlong or surrogate sequence gives U+FFFD and
 * length 1.
 */
size_t
utf8_next(const unsigned char *p, size_t n, uint32_t *cp)
{
	uint32_t c, min;
	size_t len, i;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if ((p[0] & 0xe0) == 0xc0) {
		c = p[0] & 0x1f;
		len = 2;
		min = 0x80;
	} else if ((p[0] & 0xf0) == 0xe0) {
		c = p[0] & 0x0f;
		len = 3;
		min = 0x800;
	} else if ((p[0] & 0xf8) == 0xf0) {
		c = p[0] & 0x07;
		len = 4;
		min = 0x10000;
	} else
		goto bad;
	if (len > n)
		goto bad;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			goto bad;
		c = (c << 6) | (p[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		goto bad;
	*cp = c;
	return len;
bad:
	*cp = 0xfffd;
	return 1;
}

static int
in_ranges(uint32_t cp, const uint32_t (*r)[2], size_t n)
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (cp < r[mid][0])
			hi = mid;
		else if (cp > r[mid][1])
			lo = mid + 1;
		else
			return 1;
	}
	return 0;
}

/* Terminal columns taken by cp (a small wcwidth(3) without locales). */
int
cp_width(uint32_t cp)
{
	if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
		return 0;
	if (in_ranges(cp, zero_ranges, nitems(zero_ranges)))
		return 0;
	if (in_ranges(cp, wide_ranges, nitems(wide_ranges)))
		return 2;
	return 1;
}

size_t
str_width(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), w = 0, len;
	uint32_t cp;

	while (n > 0) {
		len = utf8_next(p, n, &cp);
		w += (size_t)cp_width(cp);
		p += len;
		n -= len;
	}
	return w;
}

/*
 * Copies s for printing: control characters (C0, DEL, C1), bidirectional
 * overrides and invalid UTF-8 become '?'; tabs and carriage returns
 * become spaces, and so do newlines when oneline is set.
 */
char *
safe_dup(const char *s, int oneline)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), len;
	char *out, *o;
	uint32_t cp;

	o = out = xmalloc(n + 1);
	while (n > 0) {
		len = utf8_next(p, n, &cp);
		if (cp == '\n' && !oneline)
			*o++ = '\n';
		else if (cp == '\t' || cp == '\r' || cp == '\n')
			*o++ = ' ';
		else if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) ||
		    (cp == 0xfffd && len == 1) || cp == 0x061c ||
		    (cp >= 0x202a && cp <= 0x202e) ||
		    (cp >= 0x2066 && cp <= 0x2069))
			*o++ = '?';
		else {
			memcpy(o, p, len);
			o += len;
		}
		p += len;
		n -= len;
	}
	*o = '\0';
	return out;
}

/*
 * A JSON value as one safe line: "-" for missing, null or "", numbers and
 * booleans as written, arrays joined with commas, objects as compact JSON.
 * The caller frees the result.
 */
char *
json_text(json_t *v)
{
	struct cs_buf b;
	char *s, *t;
	size_t i;

	if (v == NULL)
		return xstrdup("-");
	switch (json_typeof(v)) {
	case JSON_STRING:
		if (json_string_length(v) == 0)
			break;
		return safe_dup(json_string_value(v), 1);
	case JSON_INTEGER:
		return xasprintf("%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
	case JSON_REAL:
		return xasprintf("%g", json_real_value(v));
	case JSON_TRUE:
		return xstrdup("true");
	case JSON_FALSE:
		return xstrdup("false");
	case JSON_ARRAY:
		if (json_array_size(v) == 0)
			break;
		cs_buf_init(&b, CLIENT_MAX_RESPONSE);
		for (i = 0; i < json_array_size(v); i++) {
			t = json_text(json_array_get(v, i));
			(void)cs_buf_printf(&b, "%s%s", i > 0 ? "," : "", t);
			free(t);
		}
		if ((s = cs_buf_finish(&b)) != NULL)
			return s;
		break;
	case JSON_OBJECT:
		if ((t = json_dumps(v, JSON_COMPACT)) == NULL)
			break;
		s = safe_dup(t, 1);
		free(t);
		return s;
	case JSON_NULL:
		break;
	}
	return xstrdup("-");
}

char *
jfield(json_t *obj, const char *key)
{
	return json_text(json_object_get(obj, key));
}

/*
 * Walks a dotted path of object keys and array indices
 * ("form.overview.event_summary", "form.recipients.1.sector").
 */
json_t *
jpath(json_t *v, const char *path)
{
	const char *p, *dot;
	char *key;
	int64_t idx;

	for (p = path; v != NULL; p = dot + 1) {
		dot = strchr(p, '.');
		key = dot != NULL ? xstrndup(p, (size_t)(dot - p)) :
		    xstrdup(p);
		if (json_is_array(v))
			v = cs_str_to_i64(key, 0, INT64_MAX, &idx) == CS_OK ?
			    json_array_get(v, (size_t)idx) : NULL;
		else
			v = json_object_get(v, key);
		free(key);
		if (dot == NULL)
			break;
	}
	return v;
}

/* The first present, non-null value among NULL-terminated key paths. */
json_t *
jfirst(json_t *obj, const char *const *paths)
{
	json_t *v;

	for (; *paths != NULL; paths++)
		if ((v = jpath(obj, *paths)) != NULL && !json_is_null(v))
			return v;
	return NULL;
}

/*
 * The first present, non-null value among alternative paths separated by
 * '|' ("seq|id", "version|latest_version").
 */
json_t *
jalt(json_t *obj, const char *alts)
{
	const char *p, *bar;
	char *one;
	json_t *v;

	for (p = alts;; p = bar + 1) {
		bar = strchr(p, '|');
		one = bar != NULL ? xstrndup(p, (size_t)(bar - p)) :
		    xstrdup(p);
		v = jpath(obj, one);
		free(one);
		if (v != NULL && !json_is_null(v))
			return v;
		if (bar == NULL)
			return NULL;
	}
}

void
print_json(json_t *v)
{
	if (v == NULL)
		return;
	(void)json_dumpf(v, stdout, JSON_INDENT(2));
	fputc('\n', stdout);
}

/* Prints "label  value" with the value column at width. */
void
print_labelled(const char *label, size_t width, json_t *v)
{
	char *s;

	s = json_text(v);
	printf("%-*s  %s\n", (int)width, label, s);
	free(s);
}

void
table_init(struct table *t, const char *const *headers, size_t ncols)
{
	size_t i;

	t->ncols = ncols;
	t->nrows = 1;
	t->cap = 16;
	t->cells = xreallocarray(NULL, t->cap, ncols * sizeof(char *));
	for (i = 0; i < ncols; i++)
		t->cells[i] = xstrdup(headers[i]);
}

/* Adds a row of ncols strings, taking ownership of them. */
void
table_add(struct table *t, char **row)
{
	size_t i;

	if (t->nrows == t->cap) {
		t->cap *= 2;
		t->cells = xreallocarray(t->cells, t->cap,
		    t->ncols * sizeof(char *));
	}
	for (i = 0; i < t->ncols; i++)
		t->cells[t->nrows * t->ncols + i] = row[i];
	t->nrows++;
}

/* Prints the table with each column as wide as its widest cell. */
void
table_print(struct table *t, FILE *f)
{
	size_t *width, r, c, w;
	const char *cell;

	width = xcalloc(t->ncols, sizeof(*width));
	for (r = 0; r < t->nrows; r++)
		for (c = 0; c < t->ncols; c++) {
			w = str_width(t->cells[r * t->ncols + c]);
			if (w > width[c])
				width[c] = w;
		}
	for (r = 0; r < t->nrows; r++) {
		for (c = 0; c < t->ncols; c++) {
			cell = t->cells[r * t->ncols + c];
			fputs(cell, f);
			if (c + 1 == t->ncols)
				break;
			for (w = str_width(cell); w < width[c] + 2; w++)
				fputc(' ', f);
		}
		fputc('\n', f);
	}
	free(width);
}

/*
 * Prints items (a JSON array of objects) as a table: headers, and for each
 * item its members keys[0..n) as jfield() shows them.
 */
void
table_print_items(json_t *items, const char *const *headers,
    const char *const *keys, size_t n, FILE *f)
{
	struct table t;
	json_t *x;
	size_t i, k;

	table_init(&t, headers, n);
	json_array_foreach(items, i, x) {
		char **row = xcalloc(n, sizeof(*row));

		for (k = 0; k < n; k++)
			row[k] = jfield(x, keys[k]);
		table_add(&t, row);
		free(row);
	}
	table_print(&t, f);
	table_fini(&t);
}

void
table_fini(struct table *t)
{
	size_t i;

	for (i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	t->cells = NULL;
}

/*
 * The words for a vocabulary id: the 様式's (ja set) or the name (TLP
 * 2.0's); anything else as json_text() shows it.
 */
static char *
vocab_text(const struct vocab_item *list, json_t *v, int ja)
{
	int i;

	if (json_is_string(v) &&
	    (i = vocab_index(list, json_string_value(v))) >= 0)
		return xstrdup(ja ? list[i].label_ja :
		    vocab_name(list, &list[i]));
	return json_text(v);
}

/* The 様式's words for an importance id; "-" when there is none. */
char *
importance_text(json_t *v)
{
	return vocab_text(vocab_importance, v, 1);
}

/* A TLP id as TLP 2.0 writes it ("amber_strict" is "AMBER+STRICT"). */
char *
tlp_text(json_t *v)
{
	return vocab_text(vocab_tlp, v, 0);
}

/*
 * A server time ("2026-11-22T09:18:55+09:00", always JST) shortened to
 * "2026-11-22 09:18:55", or "2026-11-22 09:18" without secs.  Any other
 * shape is shown as it is; a missing time is "-".
 */
char *
time_text(json_t *v, int secs)
{
	const char *s;

	if (!json_is_string(v) || json_string_length(v) == 0)
		return xstrdup("-");
	s = json_string_value(v);
	if (strlen(s) == 25 && s[10] == 'T' && s[13] == ':' &&
	    strcmp(s + 19, "+09:00") == 0)
		return xasprintf("%.10s %.*s", s, secs ? 8 : 5, s + 11);
	return safe_dup(s, 1);
}

/* A span of seconds for people: "0.02 s", "42.0 s", "3725 s (1h02m)". */
char *
secs_text(json_t *v)
{
	double d;
	long long t;

	if (!json_is_number(v))
		return xstrdup("-");
	d = json_number_value(v);
	if (d < 10)
		return xasprintf("%.2f s", d);
	if (d < 60)
		return xasprintf("%.1f s", d);
	t = (long long)(d + 0.5);
	if (t < 3600)
		return xasprintf("%lld s (%lldm%02llds)", t, t / 60, t % 60);
	if (t < 86400)
		return xasprintf("%lld s (%lldh%02lldm)", t, t / 3600,
		    t / 60 % 60);
	return xasprintf("%lld s (%lldd%02lldh)", t, t / 86400,
	    t / 3600 % 24);
}

/*
 * The first line of a text, made safe and cut to at most maxw terminal
 * columns ("..." marks a cut).  The caller frees the result.
 */
char *
first_line(json_t *v, size_t maxw)
{
	const unsigned char *p;
	char *s, *nl;
	size_t n, w = 0, len, keep = 0, limit, cw;
	uint32_t cp;
	int cut = 0;

	if (!json_is_string(v) || json_string_length(v) == 0)
		return xstrdup("-");
	s = safe_dup(json_string_value(v), 0);
	if ((nl = strchr(s, '\n')) != NULL) {
		*nl = '\0';
		cut = nl[1] != '\0';
	}
	limit = str_width(s);
	if (limit > maxw) {
		limit = maxw > 3 ? maxw - 3 : 0;
		cut = 1;
	}
	p = (const unsigned char *)s;
	n = strlen(s);
	while (keep < n) {
		len = utf8_next(p + keep, n - keep, &cp);
		cw = (size_t)cp_width(cp);
		if (w + cw > limit)
			break;
		w += cw;
		keep += len;
	}
	s[keep] = '\0';
	if (cut) {
		nl = xasprintf("%s...", s);
		free(s);
		s = nl;
	}
	return s;
}

/* Prints label padded to width columns, then a text (several lines). */
void
print_text_field(const char *label, size_t width, json_t *v)
{
	char *text, *line, *nl;
	size_t w;
	int first = 1;

	if (!json_is_string(v) || json_string_length(v) == 0)
		text = xstrdup("-");
	else
		text = safe_dup(json_string_value(v), 0);
	for (line = text; line != NULL; line = nl) {
		if ((nl = strchr(line, '\n')) != NULL)
			*nl++ = '\0';
		fputs(first ? label : "", stdout);
		for (w = first ? str_width(label) : 0; w < width + 2; w++)
			fputc(' ', stdout);
		printf("%s\n", line);
		first = 0;
	}
	free(text);
}

/*
 * Collects the ids of every --opt given (each a comma-separated list)
 * into a new array in *out, or leaves *out NULL when the option is
 * absent.  Returns 0, or -1 after a usage message.
 */
/* The ACK cell of a list row: "acked/delivered" for NISC, else a time. */
char *
ack_cell(json_t *it)
{
	json_t *sum, *ack;
	char *a, *d, *s;

	sum = json_object_get(it, "delivery_summary");
	if (json_is_object(sum)) {
		a = jfield(sum, "acknowledged");
		d = jfield(sum, "delivered");
		s = xasprintf("%s/%s", a, d);
		free(a);
		free(d);
		return s;
	}
	ack = json_object_get(it, "acknowledged_at");
	if (json_is_string(ack))
		return time_text(ack, 0);
	if (json_is_string(json_object_get(it, "delivered_at")))
		return xstrdup("未確認");
	return xstrdup("-");
}

/* The importance cell: 重要度, marked when the advisory is urgent. */
char *
importance_cell(json_t *it)
{
	char *s, *t;

	s = importance_text(json_object_get(it, "importance"));
	if (!json_is_true(json_object_get(it, "urgent")))
		return s;
	t = xasprintf("%s (urgent)", s);
	free(s);
	return t;
}


/*
 * Prints a command's answer: with --json the answer itself, else fmt with
 * each "{key}" replaced by the answer's key as text (json_text), or by its
 * TLP name for "{key%tlp}", and a newline.
 */
void
print_result(const struct cmd_ctx *ctx, json_t *res, const char *fmt)
{
	const char *p, *close;
	char *key, *pct, *v;

	if (ctx->json || fmt == NULL) {
		print_json(res);
		return;
	}
	for (p = fmt; *p != '\0'; p = close + 1) {
		if (*p != '{' || (close = strchr(p, '}')) == NULL) {
			close = p;
			fputc(*p, stdout);
			continue;
		}
		key = xstrndup(p + 1, (size_t)(close - p - 1));
		if ((pct = strchr(key, '%')) != NULL)
			*pct++ = '\0';
		v = pct != NULL && strcmp(pct, "tlp") == 0 ?
		    tlp_text(json_object_get(res, key)) : jfield(res, key);
		fputs(v, stdout);
		free(v);
		free(key);
	}
	fputc('\n', stdout);
}

/*
 * A secret the server shows once (a token, a webhook's signing key) on
 * stdout after prefix; at a terminal, a reminder on stderr.
 */
void
print_once(const char *prefix, const char *secret, const char *what)
{
	printf("%s%s\n", prefix, secret);
	if (isatty(STDOUT_FILENO))
		fprintf(stderr, "cishare: %s is shown only once; store it"
		    " now\n", what);
}
