/*
 * stix_observable.c: a small hand-written scanner for the observables of
 * an advisory's text (IPv4/IPv6 addresses, domain names, URLs, e-mail
 * addresses, MD5/SHA-1/SHA-256 hashes), their SCOs and STIX patterns.
 *
 * The text is first refanged into a copy (hxxp → http, [.] (.) {.} [dot]
 * (dot) → ".", [:] → ":", [@] [at] → "@"); then a URL is taken whole from
 * its scheme, and every other run of ASCII letters, digits and ".-_@:+%" is
 * classified.  Non-ASCII bytes (Japanese text around an address) end a run.
 * What is none of the kinds is ignored: 1.2.3.4.5 (a version) is neither an
 * address nor a domain, and neither is report.pdf (a file name).
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "interop/stix.h"

/* ---- refanging ------------------------------------------------------------ */

static const struct {
	const char	*from;
	const char	*to;
} fangs[] = {
	{ "hxxp", "http" }, { "[://]", "://" }, { "[.]", "." }, { "(.)", "." },
	{ "{.}", "." }, { "[dot]", "." }, { "(dot)", "." }, { "[:]", ":" },
	{ "[@]", "@" }, { "[at]", "@" },
};

static char *
refang(const char *s, size_t n, size_t *outn)
{
	char *o = xmalloc(n + 1);
	size_t i = 0, k = 0;

	while (i < n) {
		size_t f;

		for (f = 0; f < sizeof(fangs) / sizeof(fangs[0]); f++) {
			size_t fl = strlen(fangs[f].from);

			if (n - i >= fl && strncasecmp(s + i, fangs[f].from,
			    fl) == 0)
				break;
		}
		if (f < sizeof(fangs) / sizeof(fangs[0])) {
			size_t tl = strlen(fangs[f].to);

			memcpy(o + k, fangs[f].to, tl);
			k += tl;
			i += strlen(fangs[f].from);
			continue;
		}
		o[k++] = s[i++];
	}
	o[k] = '\0';
	*outn = k;
	return o;
}

/* ---- the kinds ---------------------------------------------------------------- */

static void
add(struct stix_obs **v, size_t *n, enum stix_obs_type t, const char *s,
    size_t len)
{
	char *val;

	if (*n >= STIX_OBS_MAX)
		return;
	val = xstrndup(s, len);
	/* Addresses, hosts and hashes compare case-insensitively. */
	if (t != STIX_OBS_URL)
		for (char *p = val; *p; p++)
			*p = (char)tolower((unsigned char)*p);
	for (size_t i = 0; i < *n; i++)
		if ((*v)[i].type == t && strcmp((*v)[i].value, val) == 0) {
			free(val);
			return;
		}
	*v = xreallocarray(*v, *n + 1, sizeof(**v));
	(*v)[*n].type = t;
	(*v)[*n].value = val;
	(*n)++;
}

static bool
is_ipv4(const char *s, size_t n)
{
	int parts = 0;
	size_t i = 0;

	while (i <= n) {
		size_t st = i;
		int val = 0;

		while (i < n && s[i] >= '0' && s[i] <= '9') {
			val = val * 10 + (s[i] - '0');
			if (i - st >= 3)
				return false;
			i++;
		}
		if (i == st || val > 255 || (s[st] == '0' && i - st > 1))
			return false;
		parts++;
		if (i == n)
			break;
		if (s[i] != '.')
			return false;
		i++;
		if (i == n)
			return false;
	}
	return parts == 4;
}

/* File extensions that look like top-level domains in running text. */
static const char *const file_exts[] = {
	"exe", "dll", "sys", "pdf", "doc", "docx", "docm", "xls", "xlsx",
	"xlsm", "ppt", "pptx", "zip", "rar", "7z", "gz", "tar", "txt", "js",
	"vbs", "ps1", "bat", "cmd", "lnk", "iso", "img", "htm", "html", "php",
	"jpg", "jpeg", "png", "gif", "csv", "json", "xml", "log", "tmp", "dat",
	"bin", "msi", "jar", "py", "sh", "hta", "one", "eml", "msg", "cfg",
	"ini", "conf", "yaml", "yml", "md", "so", "apk", "lzh",
};

static bool
is_domain(const char *s, size_t n)
{
	size_t i = 0, labels = 0, last = 0;

	if (n < 4 || n > 253)
		return false;
	while (i < n) {
		size_t st = i;

		while (i < n && (isalnum((unsigned char)s[i]) || s[i] == '-'))
			i++;
		if (i == st || i - st > 63 || s[st] == '-' || s[i - 1] == '-')
			return false;
		labels++;
		last = st;
		if (i == n)
			break;
		if (s[i] != '.')
			return false;
		i++;
		if (i == n)
			return false;
	}
	if (labels < 2 || n - last < 2 || n - last > 24)
		return false;
	for (i = last; i < n; i++)
		if (!isalpha((unsigned char)s[i]))
			return false;
	for (i = 0; i < sizeof(file_exts) / sizeof(file_exts[0]); i++)
		if (strlen(file_exts[i]) == n - last &&
		    strncasecmp(s + last, file_exts[i], n - last) == 0)
			return false;
	return true;
}

static bool
is_email(const char *s, size_t n, size_t *at)
{
	const char *a = memchr(s, '@', n);
	size_t l;

	if (a == NULL || memchr(a + 1, '@', n - (size_t)(a - s) - 1) != NULL)
		return false;
	l = (size_t)(a - s);
	if (l == 0 || l > 64 || s[0] == '.' || s[l - 1] == '.')
		return false;
	for (size_t i = 0; i < l; i++) {
		if (!isalnum((unsigned char)s[i]) && strchr("._%+-", s[i]) == NULL)
			return false;
		if (s[i] == '.' && s[i + 1] == '.')
			return false;
	}
	*at = l;
	return is_domain(a + 1, n - l - 1);
}

static bool
all_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

static bool
try_ipv6(const char *s, size_t n, char out[INET6_ADDRSTRLEN])
{
	char b[64];
	struct in6_addr a;
	int colons = 0;

	if (n < 3 || n >= sizeof(b))
		return false;
	for (size_t i = 0; i < n; i++)
		colons += s[i] == ':';
	if (colons < 2)
		return false;
	memcpy(b, s, n);
	b[n] = '\0';
	if (inet_pton(AF_INET6, b, &a) != 1)
		return false;
	/* The unspecified address (::, 0::0) is no indicator. */
	return inet_ntop(AF_INET6, &a, out, INET6_ADDRSTRLEN) != NULL &&
	    strcmp(out, "::") != 0;
}

static void
classify(const char *s, size_t n, struct stix_obs **v, size_t *nv, int depth)
{
	char v6[INET6_ADDRSTRLEN];
	size_t at;

	/* Colons at the ends belong to IPv6 (::1, 2001:db8::) before text. */
	while (n > 0 && strchr(".-_+%@", s[0]) != NULL)
		s++, n--;
	while (n > 0 && strchr(".-_+%@", s[n - 1]) != NULL)
		n--;
	if (try_ipv6(s, n, v6)) {
		add(v, nv, STIX_OBS_IPV6, v6, strlen(v6));
		return;
	}
	while (n > 0 && strchr(".-:_+%@", s[0]) != NULL)
		s++, n--;
	while (n > 0 && strchr(".-:_+%@", s[n - 1]) != NULL)
		n--;
	if (n == 0)
		return;
	if (memchr(s, '@', n) != NULL) {
		if (is_email(s, n, &at))
			add(v, nv, STIX_OBS_EMAIL, s, n);
		return;
	}
	if ((n == 32 || n == 40 || n == 64) && all_hex(s, n)) {
		add(v, nv, n == 32 ? STIX_OBS_MD5 : n == 40 ? STIX_OBS_SHA1 :
		    STIX_OBS_SHA256, s, n);
		return;
	}
	if (memchr(s, ':', n) != NULL) {
		if (try_ipv6(s, n, v6)) {
			add(v, nv, STIX_OBS_IPV6, v6, strlen(v6));
			return;
		}
		if (depth > 0)
			return;
		/* host:port, label: value — each part on its own. */
		for (size_t i = 0; i < n;) {
			size_t st = i;

			while (i < n && s[i] != ':')
				i++;
			classify(s + st, i - st, v, nv, depth + 1);
			i++;
		}
		return;
	}
	if (is_ipv4(s, n))
		add(v, nv, STIX_OBS_IPV4, s, n);
	else if (is_domain(s, n))
		add(v, nv, STIX_OBS_DOMAIN, s, n);
}

/* ---- URLs ------------------------------------------------------------------------ */

static size_t
scheme_at(const char *s, size_t n, size_t i)
{
	static const char *const schemes[] = { "https://", "http://",
	    "ftp://" };

	if (i > 0 && isalnum((unsigned char)s[i - 1]))
		return 0;
	for (size_t k = 0; k < sizeof(schemes) / sizeof(schemes[0]); k++) {
		size_t l = strlen(schemes[k]);

		if (n - i >= l && strncasecmp(s + i, schemes[k], l) == 0)
			return l;
	}
	return 0;
}

static bool
url_char(const char *s, size_t n, size_t i)
{
	unsigned char c = (unsigned char)s[i];

	if (c == '%')	/* only a complete percent-encoding */
		return i + 2 < n && isxdigit((unsigned char)s[i + 1]) &&
		    isxdigit((unsigned char)s[i + 2]);
	return isalnum(c) || (c != 0 && strchr("-._~:/?#@!$&()*+,;=", c) != NULL);
}

/* A URL from its scheme at s[i]: the end of what was taken (i if none). */
static size_t
url(const char *s, size_t n, size_t i, size_t sl, struct stix_obs **v,
    size_t *nv)
{
	size_t j = i + sl, h, he;

	while (j < n && url_char(s, n, j))
		j++;
	while (j > i + sl && strchr(".,;:!?)", s[j - 1]) != NULL)
		j--;
	/* The host: a domain or an IPv4 address (port allowed). */
	h = i + sl;
	for (he = h; he < j && s[he] != '/' && s[he] != '?' && s[he] != '#' &&
	    s[he] != ':'; he++)
		;
	if (memchr(s + h, '@', he - h) != NULL)
		return i + sl;	/* user:password@ — not taken */
	if (he == h || !(is_domain(s + h, he - h) || is_ipv4(s + h, he - h)))
		return i + sl;
	{
		char *u = xstrndup(s + i, j - i);

		/* The scheme and host are case-insensitive: lower-case them. */
		for (size_t k = 0; k < he - i; k++)
			u[k] = (char)tolower((unsigned char)u[k]);
		add(v, nv, STIX_OBS_URL, u, j - i);
		free(u);
	}
	return j;
}

static bool
tok_char(unsigned char c)
{
	return isalnum(c) || (c != 0 && strchr(".-_@:+%", c) != NULL);
}

void
stix_observables(const char *text, size_t len, struct stix_obs **v, size_t *n)
{
	size_t m, i = 0, sl;
	char *s = refang(text, len, &m);

	while (i < m) {
		if ((sl = scheme_at(s, m, i)) != 0) {
			i = url(s, m, i, sl, v, n);
			continue;
		}
		if (tok_char((unsigned char)s[i])) {
			size_t st = i;

			while (i < m && tok_char((unsigned char)s[i]))
				i++;
			if (i - st <= 300)
				classify(s + st, i - st, v, n, 0);
			continue;
		}
		i++;
	}
	free(s);
}

void
stix_obs_free(struct stix_obs *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].value);
	free(v);
}

/* ---- SCOs and patterns ------------------------------------------------------------ */

static const struct {
	const char	*sco;
	const char	*path;		/* the pattern's object path */
	const char	*hash;		/* hashes key, for files */
} kinds[STIX_OBS__COUNT] = {
	[STIX_OBS_IPV4] =	{ "ipv4-addr", "value", NULL },
	[STIX_OBS_IPV6] =	{ "ipv6-addr", "value", NULL },
	[STIX_OBS_DOMAIN] =	{ "domain-name", "value", NULL },
	[STIX_OBS_URL] =	{ "url", "value", NULL },
	[STIX_OBS_EMAIL] =	{ "email-addr", "value", NULL },
	[STIX_OBS_MD5] =	{ "file", "hashes.MD5", "MD5" },
	[STIX_OBS_SHA1] =	{ "file", "hashes.'SHA-1'", "SHA-1" },
	[STIX_OBS_SHA256] =	{ "file", "hashes.'SHA-256'", "SHA-256" },
};

const char *
stix_obs_sco_type(enum stix_obs_type t)
{
	return (unsigned)t < STIX_OBS__COUNT ? kinds[t].sco : "x-unknown";
}

json_t *
stix_obs_sco(const struct stix_obs *o)
{
	json_t *props, *j;
	char *canon, u[37], id[STIX_ID_MAX];

	if ((unsigned)o->type >= STIX_OBS__COUNT)
		return NULL;
	/* §2.9: the id contributing properties, canonical JSON (RFC 8785). */
	props = kinds[o->type].hash != NULL ?
	    json_pack("{s:{s:s}}", "hashes", kinds[o->type].hash, o->value) :
	    json_pack("{s:s}", "value", o->value);
	if (props == NULL)
		return NULL;
	canon = json_dumps(props, JSON_COMPACT | JSON_SORT_KEYS);
	if (canon == NULL || stix_uuid5(STIX_SCO_NS, canon, strlen(canon),
	    u) != CS_OK) {
		free(canon);
		json_decref(props);
		return NULL;
	}
	free(canon);
	cs_fmt(id, sizeof(id), "%s--%s", kinds[o->type].sco, u);
	j = json_pack("{s:s, s:s, s:s}", "type", kinds[o->type].sco,
	    "spec_version", "2.1", "id", id);
	json_object_update(j, props);
	json_decref(props);
	return j;
}

char *
stix_pattern_quote(const char *s)
{
	struct cs_buf b;

	cs_buf_init(&b, 2 * strlen(s) + 1);
	for (; *s; s++) {
		if (*s == '\'' || *s == '\\')
			cs_buf_add(&b, "\\", 1);
		cs_buf_add(&b, s, 1);
	}
	return cs_buf_finish(&b);
}

char *
stix_obs_pattern(const struct stix_obs *o)
{
	char *q, *p;

	if ((unsigned)o->type >= STIX_OBS__COUNT)
		return NULL;
	q = stix_pattern_quote(o->value);
	if (q == NULL)
		return NULL;
	p = xasprintf("[%s:%s = '%s']", kinds[o->type].sco,
	    kinds[o->type].path, q);
	free(q);
	return p;
}
