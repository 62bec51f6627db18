/*
 * stix_pattern.c: a recursive-descent check of STIX 2.1 patterning (STIX
 * 2.1 §9): observation expressions in brackets joined by AND, OR and
 * FOLLOWEDBY, with WITHIN / REPEATS / START … STOP qualifiers; inside a
 * bracket, comparison expressions (= != < <= > >= IN LIKE MATCHES
 * ISSUBSET ISSUPERSET EXISTS, NOT) joined by AND and OR, parenthesised;
 * object paths (type:prop.sub[0].'quoted'[*]) and the literals (strings,
 * integers, floats, booleans, t'…' timestamps, h'…' hex, b'…' base64).
 * It only decides whether a pattern is well formed (and says where it is
 * not); nothing is evaluated.
 */
#include <ctype.h>
#include <string.h>

#include "interop/stix.h"

#define PAT_MAX_DEPTH	32

struct pat {
	const char	*s;
	size_t		 n;
	size_t		 i;
	int		 depth;
	struct cs_error	*e;
	const char	*field;
};

static enum cs_err
bad(struct pat *p, const char *what)
{
	return cs_fail(p->e, CS_EINVAL, p->field, "invalid STIX pattern at "
	    "offset %zu: %s", p->i, what);
}

static void
ws(struct pat *p)
{
	while (p->i < p->n && (p->s[p->i] == ' ' || p->s[p->i] == '\t' ||
	    p->s[p->i] == '\n' || p->s[p->i] == '\r'))
		p->i++;
}

static bool
at_char(struct pat *p, char c)
{
	ws(p);
	if (p->i < p->n && p->s[p->i] == c) {
		p->i++;
		return true;
	}
	return false;
}

/* A keyword (case-sensitive, upper case as STIX writes them) ending a word. */
static bool
at_kw(struct pat *p, const char *kw)
{
	size_t k = strlen(kw);

	ws(p);
	if (p->n - p->i < k || memcmp(p->s + p->i, kw, k) != 0)
		return false;
	if (p->i + k < p->n && (isalnum((unsigned char)p->s[p->i + k]) ||
	    p->s[p->i + k] == '_'))
		return false;
	p->i += k;
	return true;
}

/* A quoted string body after its opening quote, up to the closing one. */
static enum cs_err
quoted(struct pat *p)
{
	while (p->i < p->n) {
		char c = p->s[p->i++];

		if (c == '\\') {
			if (p->i >= p->n || (p->s[p->i] != '\'' && p->s[p->i] != '\\'))
				return bad(p, "bad escape in a string");
			p->i++;
		} else if (c == '\'')
			return CS_OK;
	}
	return bad(p, "unterminated string");
}

static bool
is_digit(struct pat *p)
{
	return p->i < p->n && isdigit((unsigned char)p->s[p->i]);
}

static enum cs_err
number(struct pat *p, bool int_only)
{
	size_t d = 0;

	if (p->i < p->n && (p->s[p->i] == '-' || p->s[p->i] == '+'))
		p->i++;
	while (is_digit(p)) {
		p->i++;
		d++;
	}
	if (!int_only && p->i < p->n && p->s[p->i] == '.') {
		p->i++;
		while (is_digit(p)) {
			p->i++;
			d++;
		}
	}
	if (d == 0)
		return bad(p, "a number was expected");
	return CS_OK;
}

/* t'YYYY-MM-DDTHH:MM:SS[.s+]Z' */
static enum cs_err
timestamp(struct pat *p)
{
	size_t start = p->i, len;
	const char *t;

	if (quoted(p) != CS_OK)
		return p->e->code;
	t = p->s + start;
	len = p->i - start - 1;
	if (len < 20 || t[4] != '-' || t[7] != '-' || t[10] != 'T' ||
	    t[13] != ':' || t[16] != ':' || t[len - 1] != 'Z')
		return bad(p, "bad timestamp literal");
	for (size_t k = 0; k < 19; k++)
		if (k != 4 && k != 7 && k != 10 && k != 13 && k != 16 &&
		    !isdigit((unsigned char)t[k]))
			return bad(p, "bad timestamp literal");
	if (len > 20) {
		if (t[19] != '.' || len == 21)
			return bad(p, "bad timestamp literal");
		for (size_t k = 20; k < len - 1; k++)
			if (!isdigit((unsigned char)t[k]))
				return bad(p, "bad timestamp literal");
	}
	return CS_OK;
}

/* h'…' (even hex digits) or b'…' (base64) after the opening quote. */
static enum cs_err
binary(struct pat *p, bool hex)
{
	size_t k = 0;

	while (p->i < p->n && p->s[p->i] != '\'') {
		unsigned char c = (unsigned char)p->s[p->i];

		if (hex ? !isxdigit(c) : !(isalnum(c) || c == '+' || c == '/' ||
		    c == '='))
			return bad(p, hex ? "bad hex literal" : "bad base64 literal");
		p->i++;
		k++;
	}
	if (p->i >= p->n)
		return bad(p, "unterminated literal");
	p->i++;
	if (hex ? k % 2 != 0 : k % 4 != 0)
		return bad(p, hex ? "bad hex literal" : "bad base64 literal");
	return CS_OK;
}

static enum cs_err
literal(struct pat *p)
{
	ws(p);
	if (p->i >= p->n)
		return bad(p, "a literal was expected");
	if (p->s[p->i] == '\'') {
		p->i++;
		return quoted(p);
	}
	if (p->i + 1 < p->n && p->s[p->i + 1] == '\'') {
		char c = p->s[p->i];

		p->i += 2;
		if (c == 't')
			return timestamp(p);
		if (c == 'h' || c == 'b')
			return binary(p, c == 'h');
		p->i -= 2;
		return bad(p, "unknown literal prefix");
	}
	if (at_kw(p, "true") || at_kw(p, "false"))
		return CS_OK;
	return number(p, false);
}

static enum cs_err
set_literal(struct pat *p)
{
	enum cs_err rc;

	if (!at_char(p, '('))
		return bad(p, "'(' of a set was expected");
	if (at_char(p, ')'))
		return CS_OK;
	do {
		if ((rc = literal(p)) != CS_OK)
			return rc;
	} while (at_char(p, ','));
	if (!at_char(p, ')'))
		return bad(p, "')' of a set was expected");
	return CS_OK;
}

static bool
ident_char(char c, bool first)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	    (!first && ((c >= '0' && c <= '9') || c == '-'));
}

/* type:prop(.prop | .'quoted' | [n] | [*])* */
static enum cs_err
object_path(struct pat *p)
{
	size_t start;

	ws(p);
	start = p->i;
	while (p->i < p->n && (islower((unsigned char)p->s[p->i]) ||
	    isdigit((unsigned char)p->s[p->i]) || p->s[p->i] == '-'))
		p->i++;
	if (p->i - start < 3 || p->i - start > 250 || p->s[start] == '-')
		return bad(p, "an object type was expected");
	if (p->i >= p->n || p->s[p->i] != ':')
		return bad(p, "':' after the object type was expected");
	p->i++;
	for (bool first = true;; first = false) {
		if (p->i < p->n && p->s[p->i] == '\'') {
			p->i++;
			if (quoted(p) != CS_OK)
				return p->e->code;
		} else {
			start = p->i;
			while (p->i < p->n && ident_char(p->s[p->i], p->i == start))
				p->i++;
			if (p->i == start)
				return bad(p, first ? "a property name was expected" :
				    "a path component was expected");
		}
		for (;;) {
			if (p->i < p->n && p->s[p->i] == '[') {
				p->i++;
				if (p->i < p->n && p->s[p->i] == '*')
					p->i++;
				else if (number(p, true) != CS_OK)
					return p->e->code;
				if (p->i >= p->n || p->s[p->i] != ']')
					return bad(p, "']' of a list index was expected");
				p->i++;
				continue;
			}
			break;
		}
		if (p->i < p->n && p->s[p->i] == '.') {
			p->i++;
			continue;
		}
		return CS_OK;
	}
}

static enum cs_err comparison_or(struct pat *);

static enum cs_err
comparison(struct pat *p)
{
	enum cs_err rc;

	if (at_char(p, '(')) {
		if (++p->depth > PAT_MAX_DEPTH)
			return bad(p, "nested too deeply");
		if ((rc = comparison_or(p)) != CS_OK)
			return rc;
		p->depth--;
		return at_char(p, ')') ? CS_OK : bad(p, "')' was expected");
	}
	if (at_kw(p, "EXISTS"))
		return object_path(p);
	if ((rc = object_path(p)) != CS_OK)
		return rc;
	(void)at_kw(p, "NOT");
	ws(p);
	if (at_kw(p, "IN"))
		return set_literal(p);
	if (at_kw(p, "LIKE") || at_kw(p, "MATCHES") || at_kw(p, "ISSUBSET") ||
	    at_kw(p, "ISSUPERSET")) {
		if (!at_char(p, '\''))
			return bad(p, "a string was expected");
		return quoted(p);
	}
	if (p->i + 1 < p->n && ((p->s[p->i] == '!' && p->s[p->i + 1] == '=') ||
	    (p->s[p->i] == '<' && p->s[p->i + 1] == '=') ||
	    (p->s[p->i] == '>' && p->s[p->i + 1] == '=')))
		p->i += 2;
	else if (p->i < p->n && (p->s[p->i] == '=' || p->s[p->i] == '<' ||
	    p->s[p->i] == '>'))
		p->i++;
	else
		return bad(p, "a comparison operator was expected");
	return literal(p);
}

static enum cs_err
comparison_or(struct pat *p)
{
	enum cs_err rc;

	do {
		do {
			if ((rc = comparison(p)) != CS_OK)
				return rc;
		} while (at_kw(p, "AND"));
	} while (at_kw(p, "OR"));
	return CS_OK;
}

static enum cs_err observation_seq(struct pat *);

static enum cs_err
qualifiers(struct pat *p)
{
	for (;;) {
		if (at_kw(p, "WITHIN")) {
			ws(p);
			if (number(p, false) != CS_OK)
				return p->e->code;
			if (!at_kw(p, "SECONDS"))
				return bad(p, "SECONDS was expected");
		} else if (at_kw(p, "REPEATS")) {
			ws(p);
			if (number(p, true) != CS_OK)
				return p->e->code;
			if (!at_kw(p, "TIMES"))
				return bad(p, "TIMES was expected");
		} else if (at_kw(p, "START")) {
			ws(p);
			if (p->n - p->i < 2 || p->s[p->i] != 't' || p->s[p->i + 1] != '\'')
				return bad(p, "a timestamp was expected");
			p->i += 2;
			if (timestamp(p) != CS_OK)
				return p->e->code;
			if (!at_kw(p, "STOP"))
				return bad(p, "STOP was expected");
			ws(p);
			if (p->n - p->i < 2 || p->s[p->i] != 't' || p->s[p->i + 1] != '\'')
				return bad(p, "a timestamp was expected");
			p->i += 2;
			if (timestamp(p) != CS_OK)
				return p->e->code;
		} else
			return CS_OK;
	}
}

static enum cs_err
observation(struct pat *p)
{
	enum cs_err rc;

	if (++p->depth > PAT_MAX_DEPTH)
		return bad(p, "nested too deeply");
	if (at_char(p, '[')) {
		if ((rc = comparison_or(p)) != CS_OK)
			return rc;
		if (!at_char(p, ']'))
			return bad(p, "']' was expected");
	} else if (at_char(p, '(')) {
		if ((rc = observation_seq(p)) != CS_OK)
			return rc;
		if (!at_char(p, ')'))
			return bad(p, "')' was expected");
	} else
		return bad(p, "'[' was expected");
	p->depth--;
	return qualifiers(p);
}

static enum cs_err
observation_seq(struct pat *p)
{
	enum cs_err rc;

	do {
		do {
			do {
				if ((rc = observation(p)) != CS_OK)
					return rc;
			} while (at_kw(p, "AND"));
		} while (at_kw(p, "OR"));
	} while (at_kw(p, "FOLLOWEDBY"));
	return CS_OK;
}

enum cs_err
stix_pattern_check(const char *s, size_t n, const char *field,
    struct cs_error *e)
{
	struct pat p = { .s = s, .n = n, .e = e, .field = field ? field : "" };
	enum cs_err rc;

	if (n == 0 || memchr(s, '\0', n) != NULL)
		return bad(&p, "empty or holds a NUL byte");
	if ((rc = observation_seq(&p)) != CS_OK)
		return rc;
	ws(&p);
	if (p.i != p.n)
		return bad(&p, "unexpected text after the pattern");
	return CS_OK;
}
