/*
 * util.c: errors, allocators, the capped buffer, conversions, time, logging.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "util/util.h"

static enum cs_log_level log_level = CS_LOG_INFO;
static bool log_json = true;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

void
cs_error_clear(struct cs_error *e)
{
	if (e == NULL)
		return;
	e->code = CS_OK;
	e->field[0] = '\0';
	e->msg[0] = '\0';
}

void
cs_utf8_sanitize(char *s)
{
	unsigned char *p = (unsigned char *)s;

	while (*p != '\0') {
		size_t n = strlen((char *)p), len;

		if (*p < 0x80) {
			p++;
			continue;
		}
		len = (*p & 0xe0) == 0xc0 ? 2 : (*p & 0xf0) == 0xe0 ? 3 :
		    (*p & 0xf8) == 0xf0 ? 4 : 0;
		if (len == 0 || len > n || cs_utf8_len((char *)p, len) != 1) {
			*p++ = '?';
			continue;
		}
		p += len;
	}
}

/* Cuts s before a character that truncation left incomplete at its end. */
static void
utf8_cut_partial(char *s)
{
	size_t n = strlen(s), i = n, need;

	while (i > 0 && n - i < 4 && ((unsigned char)s[i - 1] & 0xc0) == 0x80)
		i--;
	if (i == 0 || (unsigned char)s[i - 1] < 0xc0)
		return;
	i--;		/* the lead byte */
	need = ((unsigned char)s[i] & 0xe0) == 0xc0 ? 2 :
	    ((unsigned char)s[i] & 0xf0) == 0xe0 ? 3 :
	    ((unsigned char)s[i] & 0xf8) == 0xf0 ? 4 : 0;
	if (need != 0 && n - i < need)
		s[i] = '\0';
}

enum cs_err
cs_fail(struct cs_error *e, enum cs_err code, const char *field,
    const char *fmt, ...)
{
	va_list ap;

	if (e == NULL)
		return code;
	e->code = code;
	if (field == NULL)
		field = "";
	(void)cs_strlcpy(e->field, field, sizeof(e->field));
	va_start(ap, fmt);
	(void)vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	/*
	 * Truncation may have cut a character: end before it (a long field
	 * is named by a prefix of whole characters), and keep the rest valid
	 * UTF-8.
	 */
	utf8_cut_partial(e->field);
	utf8_cut_partial(e->msg);
	cs_utf8_sanitize(e->field);
	cs_utf8_sanitize(e->msg);
	return code;
}

const char *
cs_err_name(enum cs_err code)
{
	switch (code) {
	case CS_OK:		return "ok";
	case CS_EINVAL:		return "invalid_field";
	case CS_EAUTH:		return "unauthenticated";
	case CS_EPERM:		return "forbidden";
	case CS_ENOENT:		return "not_found";
	case CS_ECONFLICT:	return "conflict";
	case CS_ETOOBIG:	return "too_large";
	case CS_ESTORE:		return "store_error";
	case CS_EIO:		return "io_error";
	case CS_EINTERNAL:	return "internal_error";
	case CS_ELIMIT:		return "rate_limited";
	}
	return "internal_error";
}

static void __attribute__((noreturn))
oom(size_t n)
{
	fprintf(stderr, "fatal: out of memory allocating %zu bytes\n", n);
	abort();
}

void *
xmalloc(size_t n)
{
	void *p;

	if (n == 0)
		n = 1;
	if ((p = malloc(n)) == NULL)
		oom(n);
	return p;
}

void *
xcalloc(size_t nmemb, size_t size)
{
	void *p;

	if (nmemb == 0 || size == 0)
		nmemb = size = 1;
	if ((p = calloc(nmemb, size)) == NULL)
		oom(nmemb * size);
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	void *q;

	if (n == 0)
		n = 1;
	if ((q = realloc(p, n)) == NULL)
		oom(n);
	return q;
}

void *
xreallocarray(void *p, size_t nmemb, size_t size)
{
	if (size != 0 && nmemb > SIZE_MAX / size)
		oom(SIZE_MAX);
	return xrealloc(p, nmemb * size);
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p;

	p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	va_list ap, ap2;
	int n;
	char *p;

	va_start(ap, fmt);
	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		oom(0);
	p = xmalloc((size_t)n + 1);
	(void)vsnprintf(p, (size_t)n + 1, fmt, ap2);
	va_end(ap2);
	return p;
}

void
cs_buf_init(struct cs_buf *b, size_t max)
{
	b->ptr = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
	b->err = 0;
}

void
cs_buf_fini(struct cs_buf *b)
{
	free(b->ptr);
	cs_buf_init(b, b->max);
}

void
cs_buf_reset(struct cs_buf *b)
{
	b->len = 0;
	b->err = 0;
	if (b->ptr != NULL)
		b->ptr[0] = '\0';
}

int
cs_buf_add(struct cs_buf *b, const void *p, size_t n)
{
	size_t need, ncap;

	if (b->err)
		return -1;
	if (n > b->max || b->len > b->max - n) {
		b->err = 1;
		return -1;
	}
	need = b->len + n + 1;
	if (need > b->cap) {
		ncap = b->cap ? b->cap : 64;
		while (ncap < need)
			ncap *= 2;
		b->ptr = xrealloc(b->ptr, ncap);
		b->cap = ncap;
	}
	if (n > 0)
		memcpy(b->ptr + b->len, p, n);
	b->len += n;
	b->ptr[b->len] = '\0';
	return 0;
}

int
cs_buf_adds(struct cs_buf *b, const char *s)
{
	return cs_buf_add(b, s, strlen(s));
}

int
cs_buf_printf(struct cs_buf *b, const char *fmt, ...)
{
	va_list ap;
	char small[256], *big;
	int n, rc;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->err = 1;
		return -1;
	}
	if ((size_t)n < sizeof(small))
		return cs_buf_add(b, small, (size_t)n);
	big = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	(void)vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	rc = cs_buf_add(b, big, (size_t)n);
	free(big);
	return rc;
}

const char *
cs_buf_str(const struct cs_buf *b)
{
	return b->ptr != NULL ? b->ptr : "";
}

size_t
cs_buf_len(const struct cs_buf *b)
{
	return b->len;
}

int
cs_buf_failed(const struct cs_buf *b)
{
	return b->err;
}

char *
cs_buf_finish(struct cs_buf *b)
{
	char *p;

	if (b->err) {
		cs_buf_fini(b);
		return NULL;
	}
	p = b->ptr != NULL ? b->ptr : xstrdup("");
	cs_buf_init(b, b->max);
	return p;
}

void
cs_fmt(char *out, size_t sz, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(out, sz, fmt, ap);
	va_end(ap);
}

enum cs_err
cs_str_to_i64(const char *s, int64_t min, int64_t max, int64_t *out)
{
	char *end;
	long long v;

	/* strtoll skips leading white space and takes '+': the whole string must be the number. */
	if (s == NULL || !((*s >= '0' && *s <= '9') || *s == '-'))
		return CS_EINVAL;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return CS_EINVAL;
	*out = (int64_t)v;
	return CS_OK;
}

int
cs_streq(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

int
cs_strlcpy(char *dst, const char *src, size_t sz)
{
	size_t n;

	if (sz == 0)
		return -1;
	n = strlen(src);
	if (n >= sz) {
		memcpy(dst, src, sz - 1);
		dst[sz - 1] = '\0';
		return -1;
	}
	memcpy(dst, src, n + 1);
	return 0;
}

long
cs_utf8_len(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *e = p + n;
	long count = 0;
	uint32_t cp;
	int extra;

	while (p < e) {
		if (*p < 0x80) {
			if (*p == 0)
				return -1;
			p++;
			count++;
			continue;
		} else if ((*p & 0xe0) == 0xc0) {
			cp = *p & 0x1f;
			extra = 1;
		} else if ((*p & 0xf0) == 0xe0) {
			cp = *p & 0x0f;
			extra = 2;
		} else if ((*p & 0xf8) == 0xf0) {
			cp = *p & 0x07;
			extra = 3;
		} else
			return -1;
		if (e - p <= extra)
			return -1;
		p++;
		for (int i = 0; i < extra; i++, p++) {
			if ((*p & 0xc0) != 0x80)
				return -1;
			cp = (cp << 6) | (*p & 0x3f);
		}
		if ((extra == 1 && cp < 0x80) || (extra == 2 && cp < 0x800) ||
		    (extra == 3 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return -1;
		count++;
	}
	return count;
}

int64_t
cs_time_now_us(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (int64_t)tv.tv_sec * 1000000 + tv.tv_usec;
}

int64_t
cs_time_mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void
cs_time_format(int64_t us, char *out, size_t outsz)
{
	time_t t;
	struct tm tm;

	/* JST is UTC+9 all year; no DST since 1951.  Floor, not truncate. */
	t = (time_t)(us / 1000000 - (us % 1000000 < 0)) + 9 * 3600;
	gmtime_r(&t, &tm);
	(void)snprintf(out, outsz, "%04d-%02d-%02dT%02d:%02d:%02d+09:00",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec);
}

static int
digits(const char *s, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

enum cs_err
cs_time_parse(const char *s, int64_t *us)
{
	int y, mo, d, h, mi, sec, oh = 0, om = 0, sign = 1, mdays;
	int64_t frac = 0, scale = 100000;
	size_t n = strlen(s), i;
	static const int mdays_tab[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (n < 20 || n > 35)
		return CS_EINVAL;
	if (digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &mo) ||
	    s[7] != '-' || digits(s + 8, 2, &d) ||
	    (s[10] != 'T' && s[10] != 't') || digits(s + 11, 2, &h) ||
	    s[13] != ':' || digits(s + 14, 2, &mi) || s[16] != ':' ||
	    digits(s + 17, 2, &sec))
		return CS_EINVAL;
	i = 19;
	if (s[i] == '.') {
		i++;
		if (i >= n || s[i] < '0' || s[i] > '9')
			return CS_EINVAL;
		while (i < n && s[i] >= '0' && s[i] <= '9') {
			frac += (s[i] - '0') * scale;
			scale /= 10;
			i++;
		}
	}
	if (i >= n)
		return CS_EINVAL;
	if (s[i] == 'Z' || s[i] == 'z') {
		if (i + 1 != n)
			return CS_EINVAL;
	} else if (s[i] == '+' || s[i] == '-') {
		sign = s[i] == '-' ? -1 : 1;
		if (i + 6 != n || digits(s + i + 1, 2, &oh) || s[i + 3] != ':' ||
		    digits(s + i + 4, 2, &om) || oh > 23 || om > 59)
			return CS_EINVAL;
	} else
		return CS_EINVAL;
	if (y < 1900 || mo < 1 || mo > 12 || h > 23 || mi > 59 || sec > 60)
		return CS_EINVAL;
	mdays = mdays_tab[mo - 1];
	if (mo == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		mdays = 29;
	if (d < 1 || d > mdays)
		return CS_EINVAL;
	if (sec == 60)
		sec = 59;
	*us = ((days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec) -
	    sign * (oh * 3600 + om * 60)) * 1000000 + (scale >= 0 ? frac : 0);
	/* Keep to instants whose JST rendering parses back (years 1900-9999). */
	if (*us < days_from_civil(1900, 1, 1) * 86400 * 1000000LL ||
	    *us >= days_from_civil(9999, 12, 31) * 86400 * 1000000LL)
		return CS_EINVAL;
	return CS_OK;
}

void
log_set_level(enum cs_log_level l)
{
	log_level = l;
}

void
log_set_json(bool on)
{
	log_json = on;
}

/*
 * The log ring (log_async_start): log_msg() formats into it under log_lock
 * and never writes; one thread writes it to stderr.  A full ring drops the
 * line and counts it (a stuck log pipe never stalls a request thread); the
 * writer reports the count when it can write again.  Once the ring is
 * empty the writer naps LOG_NAP_NS and looks again before it sleeps on
 * log_cond: while lines keep coming (a busy daemon logs every request) it
 * stays "writing", so log_msg() never signals, and it writes what a nap
 * gathered in a few large writes.
 */
#define LOG_RING	(1u << 20)
#define LOG_CHUNK	(64u * 1024)
#define LOG_NAP_NS	(2 * 1000 * 1000L)
static char		*log_ring;
static size_t		 log_head, log_len;	/* the bytes not yet written */
static uint64_t		 log_dropped;
static pthread_cond_t	 log_cond = PTHREAD_COND_INITIALIZER;
static pthread_cond_t	 log_drained = PTHREAD_COND_INITIALIZER;
static bool		 log_async, log_writing;

static void
ring_put(const char *p, size_t n)
{
	size_t tail = (log_head + log_len) % LOG_RING, first;

	first = n < LOG_RING - tail ? n : LOG_RING - tail;
	memcpy(log_ring + tail, p, first);
	memcpy(log_ring, p + first, n - first);
	log_len += n;
}

static void *
log_writer(void *arg)
{
	static char buf[LOG_CHUNK];
	const struct timespec nap = { 0, LOG_NAP_NS };
	bool napped = false;

	(void)arg;
	pthread_mutex_lock(&log_lock);
	for (;;) {
		size_t n, first;
		ssize_t w;

		while (log_len == 0 && log_dropped == 0) {
			if (!napped) {
				/* Still "writing": lines logged meanwhile wake no one. */
				pthread_mutex_unlock(&log_lock);
				(void)nanosleep(&nap, NULL);
				pthread_mutex_lock(&log_lock);
				napped = true;
				continue;
			}
			log_writing = false;
			pthread_cond_broadcast(&log_drained);
			pthread_cond_wait(&log_cond, &log_lock);
		}
		log_writing = true;
		napped = false;
		if (log_len == 0) {
			/* Only drops to tell: say how many, once the pipe moves. */
			n = (size_t)snprintf(buf, sizeof(buf), log_json ?
			    "{\"level\":\"warn\",\"event\":\"log_dropped\","
			    "\"lines\":%llu}\n" : "level=warn event=log_dropped "
			    "lines=%llu\n", (unsigned long long)log_dropped);
			log_dropped = 0;
		} else {
			n = log_len < sizeof(buf) ? log_len : sizeof(buf);
			first = n < LOG_RING - log_head ? n : LOG_RING - log_head;
			memcpy(buf, log_ring + log_head, first);
			memcpy(buf + first, log_ring, n - first);
			log_head = (log_head + n) % LOG_RING;
			log_len -= n;
		}
		pthread_mutex_unlock(&log_lock);
		for (size_t off = 0; off < n; off += (size_t)w)
			if ((w = write(STDERR_FILENO, buf + off, n - off)) < 0) {
				if (errno == EINTR) {
					w = 0;
					continue;
				}
				break;	/* stderr gone: drop it */
			}
		pthread_mutex_lock(&log_lock);
	}
	return NULL;
}

void
log_async_start(void)
{
	pthread_t t;
	pthread_attr_t a;

	pthread_mutex_lock(&log_lock);
	if (log_async) {
		pthread_mutex_unlock(&log_lock);
		return;
	}
	log_ring = xmalloc(LOG_RING);
	pthread_attr_init(&a);
	pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&t, &a, log_writer, NULL) == 0)
		log_async = true;
	else {
		free(log_ring);
		log_ring = NULL;
	}
	pthread_attr_destroy(&a);
	pthread_mutex_unlock(&log_lock);
}

void
log_flush(int64_t wait_us)
{
	struct timespec until;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += (time_t)(wait_us / 1000000);
	until.tv_nsec += (long)(wait_us % 1000000) * 1000;
	if (until.tv_nsec >= 1000000000) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&log_lock);
	while (log_async && (log_len > 0 || log_writing))
		if (pthread_cond_timedwait(&log_drained, &log_lock, &until) != 0)
			break;
	pthread_mutex_unlock(&log_lock);
}

/* s as the inside of a JSON string, into b (at most cap bytes, NUL-ended). */
static size_t
json_str(char *b, size_t cap, const char *s, size_t n)
{
	size_t o = 0;

	for (size_t i = 0; i < n && o + 7 < cap; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\') {
			b[o++] = '\\';
			b[o++] = (char)c;
		} else if (c < 0x20 || c == 0x7f)
			o += (size_t)snprintf(b + o, cap - o, "\\u%04x", c);
		else
			b[o++] = (char)c;
	}
	b[o] = '\0';
	return o;
}

/*
 * The message "k=v k=v ..." as JSON members ("k":"v"); words without '='
 * go to "msg".  Values are strings but for integers, kept as numbers.
 */
static size_t
to_json(char *out, size_t cap, const char *ts, const char *level,
    const char *m)
{
	char msg[1024];
	size_t o, mo = 0;

	o = (size_t)snprintf(out, cap, "{\"ts\":\"%s\",\"level\":\"%s\"", ts,
	    level);
	msg[0] = '\0';
	while (*m != '\0' && o + 16 < cap) {
		size_t wl = strcspn(m, " "), kl;
		const char *eq = memchr(m, '=', wl);

		if (eq != NULL && eq > m) {
			const char *v = eq + 1;
			size_t vl = wl - (size_t)(v - m);
			bool num = vl > 0 && vl < 19;

			kl = (size_t)(eq - m);
			for (size_t i = 0; i < vl && num; i++)
				num = (v[i] >= '0' && v[i] <= '9') ||
				    (i == 0 && v[i] == '-' && vl > 1);
			if (num && vl > 1 && v[v[0] == '-'] == '0')
				num = false;
			out[o++] = ',';
			out[o++] = '"';
			o += json_str(out + o, cap - o, m, kl);
			o += (size_t)snprintf(out + o, cap - o, num ? "\":" :
			    "\":\"");
			o += json_str(out + o, cap - o, v, vl);
			if (!num && o + 1 < cap)
				out[o++] = '"';
		} else if (wl > 0 && mo + wl + 2 < sizeof(msg)) {
			if (mo > 0)
				msg[mo++] = ' ';
			memcpy(msg + mo, m, wl);
			mo += wl;
			msg[mo] = '\0';
		}
		m += wl;
		while (*m == ' ')
			m++;
	}
	if (mo > 0 && o + 16 < cap) {
		o += (size_t)snprintf(out + o, cap - o, ",\"msg\":\"");
		o += json_str(out + o, cap - o, msg, mo);
		out[o++] = '"';
	}
	if (o + 2 >= cap)
		o = cap - 3;
	out[o++] = '}';
	out[o++] = '\n';
	out[o] = '\0';
	return o;
}

/* The time of a line, to the second: formatted once a second per thread. */
static void
log_when(char *out, size_t outsz)
{
	static _Thread_local int64_t sec = -1;
	static _Thread_local char text[40];
	int64_t now = cs_time_now_us(), s = now / 1000000;

	if (s != sec) {
		cs_time_format(now, text, sizeof(text));
		sec = s;
	}
	(void)cs_strlcpy(out, text, outsz);
}

void
log_msg(enum cs_log_level l, const char *fmt, ...)
{
	static const char *names[] = {"debug", "info", "warn", "error"};
	char when[40], m[2048], line[4096];
	va_list ap;
	size_t n;

	if (l < log_level)
		return;
	log_when(when, sizeof(when));
	va_start(ap, fmt);
	(void)vsnprintf(m, sizeof(m), fmt, ap);
	va_end(ap);
	if (log_json)
		n = to_json(line, sizeof(line), when, names[l], m);
	else {
		n = (size_t)snprintf(line, sizeof(line), "ts=%s level=%s %s\n",
		    when, names[l], m);
		if (n >= sizeof(line)) {
			n = sizeof(line) - 1;
			line[n - 1] = '\n';
		}
	}
	pthread_mutex_lock(&log_lock);
	if (!log_async) {
		(void)fwrite(line, 1, n, stderr);
		fflush(stderr);
	} else if (LOG_RING - log_len < n)
		log_dropped++;
	else {
		ring_put(line, n);
		/* A writer at work takes it on its next round: no wake-up. */
		if (!log_writing)
			pthread_cond_signal(&log_cond);
	}
	pthread_mutex_unlock(&log_lock);
}

void
fatalx(const char *fmt, ...)
{
	va_list ap;

	fputs("cishared: fatal: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* ---- JSON member scan ------------------------------------------------- */

static size_t
js_ws(const char *t, size_t i, size_t n)
{
	while (i < n && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' ||
	    t[i] == '\r'))
		i++;
	return i;
}

/* t[i] is the opening quote; returns the index after the closing one, or n+1. */
static size_t
js_string(const char *t, size_t i, size_t n)
{
	for (i++; i < n; i++) {
		if (t[i] == '\\')
			i++;
		else if (t[i] == '"')
			return i + 1;
	}
	return n + 1;
}

/* The end of the value at t[i] (index after it), or n+1 when malformed. */
static size_t
js_value(const char *t, size_t i, size_t n)
{
	size_t depth = 0;

	if (i >= n)
		return n + 1;
	if (t[i] == '"')
		return js_string(t, i, n);
	if (t[i] != '{' && t[i] != '[') {
		/* A number or literal: up to the next delimiter. */
		size_t s = i;

		while (i < n && t[i] != ',' && t[i] != '}' && t[i] != ']' &&
		    t[i] != ' ' && t[i] != '\t' && t[i] != '\n' && t[i] != '\r')
			i++;
		return i > s ? i : n + 1;
	}
	for (; i < n; i++) {
		switch (t[i]) {
		case '"':
			if ((i = js_string(t, i, n)) > n)
				return n + 1;
			i--;
			break;
		case '{':
		case '[':
			depth++;
			break;
		case '}':
		case ']':
			if (--depth == 0)
				return i + 1;
			break;
		default:
			break;
		}
	}
	return n + 1;
}

enum cs_err
cs_json_pick(const char *t, size_t n, const char *key, const char **val,
    size_t *vlen)
{
	size_t klen = strlen(key), i, ks, ke, ve;

	i = js_ws(t, 0, n);
	if (i >= n || t[i] != '{')
		return CS_EINVAL;
	i = js_ws(t, i + 1, n);
	if (i < n && t[i] == '}')
		return CS_ENOENT;
	for (;;) {
		if (i >= n || t[i] != '"')
			return CS_EINVAL;
		ks = i + 1;
		if ((i = js_string(t, i, n)) > n)
			return CS_EINVAL;
		ke = i - 1;
		i = js_ws(t, i, n);
		if (i >= n || t[i] != ':')
			return CS_EINVAL;
		i = js_ws(t, i + 1, n);
		if ((ve = js_value(t, i, n)) > n)
			return CS_EINVAL;
		if (ke - ks == klen && memcmp(t + ks, key, klen) == 0) {
			*val = t + i;
			*vlen = ve - i;
			return CS_OK;
		}
		i = js_ws(t, ve, n);
		if (i >= n)
			return CS_EINVAL;
		if (t[i] == '}')
			return CS_ENOENT;
		if (t[i] != ',')
			return CS_EINVAL;
		i = js_ws(t, i + 1, n);
	}
}
