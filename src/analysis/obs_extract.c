/*
 * obs_extract.c: the observable scanner (analysis/obs.h), hand-written for
 * running Japanese text, first made for the STIX indicators.
 *
 * The text is normalised to NFKC (u8_normalize), then refanged into a copy
 * (hxxp → http, [.] (.) {.} [dot] (dot) → ".", [:] → ":", [@] [at] → "@");
 * then a URL is taken whole from its scheme and normalised by curl_url, and
 * every other run of ASCII letters, digits and ".-_@:+%" is classified (an
 * address followed by /N is a CIDR block).  Non-ASCII bytes (Japanese text
 * around an address) end a run.  What is none of the kinds is ignored:
 * 1.2.3.4.5 (a version) is neither an address nor a domain, and neither is
 * report.pdf (a file name) nor host.zz (no such top-level domain, libpsl).
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdint.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <libpsl.h>
#include <pthread.h>
#include <unistr.h>
#include <uninorm.h>

#include "analysis/obs.h"

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

		/* Every defanged form begins with one of these. */
		if (strchr("hH[({", s[i]) == NULL || s[i] == '\0') {
			o[k++] = s[i++];
			continue;
		}
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

/* ---- the Public Suffix List ------------------------------------------------ */

static pthread_once_t psl_once = PTHREAD_ONCE_INIT;
static const psl_ctx_t *psl_ctx;

static void
psl_load(void)
{
	/* The system's list (Debian publicsuffix), else libpsl's own. */
	psl_ctx = psl_latest(NULL);
	if (psl_ctx == NULL)
		psl_ctx = psl_builtin();
}

static const psl_ctx_t *
psl(void)
{
	(void)pthread_once(&psl_once, psl_load);
	return psl_ctx;
}

/* Is the lower-case label s[0..n) a top-level domain the list names? */
static bool
known_tld(const char *s, size_t n)
{
	char b[32];

	if (n >= sizeof(b) || psl() == NULL)
		return n >= 2;
	for (size_t i = 0; i < n; i++)
		b[i] = (char)tolower((unsigned char)s[i]);
	b[n] = '\0';
	return psl_is_public_suffix2(psl(), b,
	    PSL_TYPE_ANY | PSL_TYPE_NO_STAR_RULE) != 0;
}

/* ---- the kinds ---------------------------------------------------------------- */

static void
add(struct obs **v, size_t *n, enum obs_kind t, const char *s, size_t len)
{
	char *val;

	if (*n >= OBS_MAX)
		return;
	val = xstrndup(s, len);
	/* Addresses, hosts and hashes compare case-insensitively; CVE-… */
	if (t == OBS_CVE)
		for (char *p = val; *p; p++)
			*p = (char)toupper((unsigned char)*p);
	else if (t != OBS_URL)
		for (char *p = val; *p; p++)
			*p = (char)tolower((unsigned char)*p);
	for (size_t i = 0; i < *n; i++)
		if ((*v)[i].kind == t && strcmp((*v)[i].value, val) == 0) {
			free(val);
			return;
		}
	*v = xreallocarray(*v, *n + 1, sizeof(**v));
	(*v)[*n].kind = t;
	(*v)[*n].value = val;
	(*n)++;
}

void
obs_add(struct obs **v, size_t *n, enum obs_kind t, const char *value)
{
	add(v, n, t, value, strlen(value));
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
	return known_tld(s + last, n - last);
}

/* CVE-YYYY-NNNN…: the year and at least four digits (CVE id syntax). */
static bool
is_cve(const char *s, size_t n)
{
	if (n < 13 || n > 24 || strncasecmp(s, "cve-", 4) != 0)
		return false;
	for (size_t i = 4; i < 8; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	if (s[8] != '-')
		return false;
	for (size_t i = 9; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
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
classify(const char *s, size_t n, struct obs **v, size_t *nv, int depth)
{
	char v6[INET6_ADDRSTRLEN];
	size_t at;

	/* Colons at the ends belong to IPv6 (::1, 2001:db8::) before text. */
	while (n > 0 && strchr(".-_+%@", s[0]) != NULL)
		s++, n--;
	while (n > 0 && strchr(".-_+%@", s[n - 1]) != NULL)
		n--;
	if (try_ipv6(s, n, v6)) {
		add(v, nv, OBS_IPV6, v6, strlen(v6));
		return;
	}
	while (n > 0 && strchr(".-:_+%@", s[0]) != NULL)
		s++, n--;
	while (n > 0 && strchr(".-:_+%@", s[n - 1]) != NULL)
		n--;
	if (n == 0)
		return;
	if (is_cve(s, n)) {
		add(v, nv, OBS_CVE, s, n);
		return;
	}
	if (memchr(s, '@', n) != NULL) {
		if (is_email(s, n, &at))
			add(v, nv, OBS_EMAIL, s, n);
		return;
	}
	if ((n == 32 || n == 40 || n == 64) && all_hex(s, n)) {
		add(v, nv, n == 32 ? OBS_MD5 : n == 40 ? OBS_SHA1 :
		    OBS_SHA256, s, n);
		return;
	}
	if (memchr(s, ':', n) != NULL) {
		if (try_ipv6(s, n, v6)) {
			add(v, nv, OBS_IPV6, v6, strlen(v6));
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
		add(v, nv, OBS_IPV4, s, n);
	else if (is_domain(s, n))
		add(v, nv, OBS_DOMAIN, s, n);
}

/* ---- URLs ------------------------------------------------------------------------ */

static size_t
scheme_at(const char *s, size_t n, size_t i)
{
	static const char *const schemes[] = { "https://", "http://",
	    "ftp://" };

	/* Every scheme begins with h or f. */
	if (strchr("hHfF", s[i]) == NULL || s[i] == '\0')
		return 0;
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

/*
 * A URL as curl_url normalises it: scheme and host lower-case, the
 * default port dropped, dot segments removed, "/" for an empty path, no
 * fragment (it never reaches the server).  NULL when curl refuses it.
 */
static char *
url_norm(const char *u)
{
	CURLU *h = curl_url();
	char *host = NULL, *out = NULL, *r = NULL;

	if (h == NULL)
		return NULL;
	if (curl_url_set(h, CURLUPART_URL, u, CURLU_NON_SUPPORT_SCHEME) !=
	    CURLUE_OK || curl_url_get(h, CURLUPART_HOST, &host, 0) != CURLUE_OK)
		goto done;
	for (char *p = host; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	if (curl_url_set(h, CURLUPART_HOST, host, 0) != CURLUE_OK ||
	    curl_url_set(h, CURLUPART_FRAGMENT, NULL, 0) != CURLUE_OK ||
	    curl_url_get(h, CURLUPART_URL, &out, CURLU_NO_DEFAULT_PORT) !=
	    CURLUE_OK)
		goto done;
	for (char *p = out; *p; p++)
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f ||
		    strchr("'\"<>\\", *p) != NULL)
			goto done;
	r = xstrdup(out);
done:
	curl_free(host);
	curl_free(out);
	curl_url_cleanup(h);
	return r;
}

/* A URL from its scheme at s[i]: the end of what was taken (i if none). */
static size_t
url(const char *s, size_t n, size_t i, size_t sl, struct obs **v,
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
		char *u = xstrndup(s + i, j - i), *nu = url_norm(u);

		free(u);
		if (nu == NULL)
			return i + sl;	/* curl_url refuses it: not a URL */
		add(v, nv, OBS_URL, nu, strlen(nu));
		free(nu);
	}
	return j;
}

static bool
tok_char(unsigned char c)
{
	return isalnum(c) || (c != 0 && strchr(".-_@:+%", c) != NULL);
}

/*
 * An address token s[st..i) followed by "/N" (the prefix length) is a CIDR
 * block: added with its host bits cleared; the end of what was taken, or 0.
 */
static size_t
cidr(const char *s, size_t m, size_t st, size_t i, struct obs **v,
    size_t *nv)
{
	unsigned char a[16];
	char b[64], out[INET6_ADDRSTRLEN + 8];
	size_t j = i + 1, alen;
	int fam, len = 0, max;

	if (i >= m || s[i] != '/' || i - st >= sizeof(b))
		return 0;
	while (j < m && isdigit((unsigned char)s[j]) && j - i <= 3)
		len = len * 10 + (s[j++] - '0');
	if (j == i + 1 || (j < m && (isalnum((unsigned char)s[j]) ||
	    s[j] == '/' || s[j] == '.')))
		return 0;
	memcpy(b, s + st, i - st);
	b[i - st] = '\0';
	if (is_ipv4(b, i - st)) {
		fam = AF_INET, max = 32, alen = 4;
	} else if (strchr(b, ':') != NULL) {
		fam = AF_INET6, max = 128, alen = 16;
	} else
		return 0;
	if (len > max || (s[i + 1] == '0' && j - i > 2) ||
	    inet_pton(fam, b, a) != 1)
		return 0;
	for (int bit = len; bit < (int)alen * 8; bit++)
		a[bit / 8] &= (unsigned char)~(0x80u >> (bit % 8));
	if (inet_ntop(fam, a, out, INET6_ADDRSTRLEN) == NULL)
		return 0;
	cs_fmt(out + strlen(out), 8, "/%d", len);
	add(v, nv, OBS_CIDR, out, strlen(out));
	return j;
}

/* text in NFKC (heap, *outn bytes); a copy when it is no valid UTF-8. */
static char *
nfkc(const char *text, size_t len, size_t *outn)
{
	uint8_t *u;
	size_t n = 0;

	/* ASCII is its own NFKC. */
	while (n < len && (unsigned char)text[n] < 0x80)
		n++;
	if (n == len) {
		char *r = xstrndup(text, len);

		*outn = strlen(r);
		return r;
	}
	n = 0;
	if (u8_check((const uint8_t *)text, len) == NULL &&
	    (u = u8_normalize(UNINORM_NFKC, (const uint8_t *)text, len, NULL,
	    &n)) != NULL) {
		char *r = xstrndup((const char *)u, n);

		free(u);
		*outn = strlen(r);
		return r;
	}
	*outn = len;
	{
		char *r = xmalloc(len + 1);

		memcpy(r, text, len);
		r[len] = '\0';
		return r;
	}
}

void
obs_extract(const char *text, size_t len, struct obs **v, size_t *n)
{
	size_t m, i = 0, sl, nn, e;
	char *norm = nfkc(text, len, &nn);
	char *s = refang(norm, nn, &m);

	free(norm);
	while (i < m) {
		if ((sl = scheme_at(s, m, i)) != 0) {
			i = url(s, m, i, sl, v, n);
			continue;
		}
		if (tok_char((unsigned char)s[i])) {
			size_t st = i;

			while (i < m && tok_char((unsigned char)s[i]))
				i++;
			if ((e = cidr(s, m, st, i, v, n)) != 0) {
				i = e;
				continue;
			}
			if (i - st <= 300)
				classify(s + st, i - st, v, n, 0);
			continue;
		}
		i++;
	}
	free(s);
}

void
obs_free(struct obs *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].value);
	free(v);
}

static const char *const kind_ids[OBS__COUNT] = {
	[OBS_IPV4] = "ipv4", [OBS_IPV6] = "ipv6", [OBS_DOMAIN] = "domain",
	[OBS_URL] = "url", [OBS_EMAIL] = "email", [OBS_MD5] = "md5",
	[OBS_SHA1] = "sha1", [OBS_SHA256] = "sha256", [OBS_CIDR] = "cidr",
	[OBS_CVE] = "cve",
};

const char *
obs_kind_id(enum obs_kind k)
{
	return (unsigned)k < OBS__COUNT ? kind_ids[k] : "";
}

bool
obs_normalise(const char *s, struct obs *o)
{
	struct obs *v = NULL;
	size_t n = 0;
	bool ok;

	obs_extract(s, strlen(s), &v, &n);
	/* One observable, or a URL with the host it holds. */
	ok = n == 1;
	if (ok) {
		*o = v[0];
		v[0].value = NULL;
	}
	obs_free(v, n);
	return ok;
}

char *
obs_registrable(const struct obs *o)
{
	const char *host = o->value, *rd;
	char *h = NULL, *r = NULL;

	if (psl() == NULL)
		return NULL;
	if (o->kind == OBS_EMAIL) {
		host = strchr(o->value, '@');
		host = host != NULL ? host + 1 : "";
	} else if (o->kind == OBS_URL) {
		CURLU *u = curl_url();

		if (u == NULL || curl_url_set(u, CURLUPART_URL, o->value,
		    CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK ||
		    curl_url_get(u, CURLUPART_HOST, &h, 0) != CURLUE_OK) {
			curl_url_cleanup(u);
			return NULL;
		}
		curl_url_cleanup(u);
		host = h;
	} else if (o->kind != OBS_DOMAIN)
		return NULL;
	if ((rd = psl_registrable_domain(psl(), host)) != NULL)
		r = xstrdup(rd);
	curl_free(h);
	return r;
}
