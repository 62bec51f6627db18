/*
 * ident: identity matching for source protection (API.md "Source
 * protection").  A text and a set of identifying strings (an organisation's
 * name and registered identifiers, its users' logins, names, departments,
 * e-mail addresses, mail domains, phone and fax numbers) are compared after
 * Unicode NFKC, case folding and the removal of spaces, hyphens and dots
 * inside digit runs: "ＡＢＣ銀行" meets the needle "abc銀行", and
 * "０３－１２３４－５６７８", "03 1234 5678" and "0312345678" all meet
 * "03-1234-5678".
 *
 * Hits are reported as spans of the original text, in bytes and in code
 * points, so that a redaction replaces exactly what the reader would have
 * recognised, and a reviewer can be shown where.
 *
 * Pure: no I/O, no global state; libunistring does the Unicode work.
 */
#ifndef CS_CORE_IDENT_H
#define CS_CORE_IDENT_H

#include <stddef.h>

#include <jansson.h>

#include "util/util.h"

/* Needles shorter than this (in folded code points) are ignored. */
#define IDENT_MIN_CHARS	2

struct ident_set;

/* One occurrence of a needle in the original text, [start, end). */
struct ident_hit {
	size_t	 start;		/* byte offsets */
	size_t	 end;
	size_t	 cstart;	/* code point offsets */
	size_t	 cend;
	size_t	 needle;	/* index into the needles given to ident_set_new */
};

/*
 * Folds the needles (NULL entries, invalid UTF-8 and needles shorter than
 * IDENT_MIN_CHARS once folded are skipped).  *out is never NULL on CS_OK.
 */
enum cs_err	 ident_set_new(const char *const *needles, size_t n,
		    struct ident_set **out) CS_WUR;
/* The same with another minimum length (full-text search: 1). */
enum cs_err	 ident_set_new_min(const char *const *needles, size_t n,
		    size_t min_chars, struct ident_set **out) CS_WUR;
void		 ident_set_free(struct ident_set *);
/* Needles kept after folding. */
size_t		 ident_set_count(const struct ident_set *);

/*
 * Every non-overlapping occurrence in text (valid UTF-8), leftmost first,
 * the longest needle at each position.  *hits (caller frees) holds *n
 * entries; CS_EINVAL for text that is not valid UTF-8.
 */
enum cs_err	 ident_find(const struct ident_set *, const char *text,
		    struct ident_hit **hits, size_t *n) CS_WUR;

/*
 * text with every hit replaced by rep, or NULL when nothing matched.  Text
 * that is not valid UTF-8 is replaced whole (fail closed).
 */
char		*ident_redact(const struct ident_set *, const char *text,
		    const char *rep);

/*
 * Full-text search (docs/analysis.md "Search"): text folded as a needle is
 * (NFKC, case folding, separators dropped), heap; NULL for invalid UTF-8.
 */
char		*ident_fold(const char *text);
/*
 * The searchable text of a JSON document (text): every string value
 * folded by ident_fold(), one per line, in document order; NULL when the
 * text is not JSON.  A folded needle is a substring of it exactly when
 * ident_find() finds the needle in one of the strings.
 */
char		*ident_fold_json(const char *json);
/* The same of a parsed document (its text is json_dumps of it). */
char		*ident_fold_json_value(const json_t *);
/*
 * A snippet of text (valid UTF-8) around its hits (n >= 1, from
 * ident_find): {"text": "...", "highlights": [{"start", "end"}]}, the
 * window from `context` code points before the first hit to about
 * 3 * context code points on, "…" marking a cut at either end, and the
 * spans (code points of the snippet's text) of every hit inside it, cut to
 * it.  No markup: the client builds its own.
 */
json_t		*ident_snippet(const char *text, const struct ident_hit *hits,
		    size_t n, size_t context);

#endif
