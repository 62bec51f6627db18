/*
 * util: the small pieces every other module uses: the error type with its
 * detail record, a capped growable buffer, checked number parsing, time
 * formatting, aborting allocators and levelled logging.
 *
 * Dependencies: libc only.  Nothing here knows about cishare's domain.
 */
#ifndef CS_UTIL_H
#define CS_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define CS_WUR __attribute__((warn_unused_result))
#define CS_PRINTF(a, b) __attribute__((format(printf, a, b)))

/* One error type for the whole code base; src/http maps it to HTTP. */
enum cs_err {
	CS_OK = 0,
	CS_EINVAL,	/* malformed or invalid input		400 */
	CS_EAUTH,	/* no or bad credentials		401 */
	CS_EPERM,	/* authenticated, not allowed		403 */
	CS_ENOENT,	/* not found or not visible		404 */
	CS_ECONFLICT,	/* wrong state or conflict		409 */
	CS_ETOOBIG,	/* over a size limit			413 */
	CS_ESTORE,	/* the store failed			500 */
	CS_EIO,		/* I/O failed				500 */
	CS_EINTERNAL,	/* broken invariant			500 */
	CS_ELIMIT	/* too many attempts; retry later	429 */
};

/*
 * Error detail filled by the callee, owned by the caller, nothing to free
 * (jansson's json_error_t).  `field` is a dotted path into the request body.
 */
struct cs_error {
	enum cs_err	code;
	char		field[96];
	char		msg[224];
};

void		 cs_error_clear(struct cs_error *);
/* Sets e (if not NULL) and returns code, so callers write `return cs_fail(...)`. */
enum cs_err	 cs_fail(struct cs_error *e, enum cs_err code, const char *field,
		    const char *fmt, ...) CS_PRINTF(4, 5);
const char	*cs_err_name(enum cs_err);

/* Allocators that abort on exhaustion; every attacker-controlled size is capped first. */
void		*xmalloc(size_t);
void		*xcalloc(size_t, size_t);
void		*xrealloc(void *, size_t);
void		*xreallocarray(void *, size_t, size_t);
char		*xstrdup(const char *);
char		*xstrndup(const char *, size_t);
char		*xasprintf(const char *, ...) CS_PRINTF(1, 2);

/*
 * struct cs_buf: growable, always NUL-terminated, with a hard cap (curl's
 * dynbuf).  Errors are sticky: after the first failure appends are ignored
 * and cs_buf_finish() returns NULL (SQLite's StrAccum).
 * Fields are private to buf.c.
 */
struct cs_buf {
	char	*ptr;
	size_t	 len;
	size_t	 cap;
	size_t	 max;
	int	 err;
};

void		 cs_buf_init(struct cs_buf *, size_t max);
void		 cs_buf_fini(struct cs_buf *);
void		 cs_buf_reset(struct cs_buf *);
int		 cs_buf_add(struct cs_buf *, const void *, size_t);
int		 cs_buf_adds(struct cs_buf *, const char *);
int		 cs_buf_printf(struct cs_buf *, const char *, ...) CS_PRINTF(2, 3);
const char	*cs_buf_str(const struct cs_buf *);
size_t		 cs_buf_len(const struct cs_buf *);
int		 cs_buf_failed(const struct cs_buf *);
/* Hands the string to the caller (free()), or NULL if any append failed. */
char		*cs_buf_finish(struct cs_buf *);

/* snprintf that truncates silently by design (error paths, labels). */
void		 cs_fmt(char *, size_t, const char *, ...) CS_PRINTF(3, 4);

/* Checked conversions: the whole string must be a number in range. */
enum cs_err	 cs_str_to_i64(const char *, int64_t min, int64_t max, int64_t *out) CS_WUR;
int		 cs_streq(const char *, const char *);
/* Copy with truncation check: returns 0 if it fit, -1 if truncated. */
int		 cs_strlcpy(char *, const char *, size_t);
/* Replace the bytes of invalid or cut UTF-8 sequences with '?', in place. */
void		 cs_utf8_sanitize(char *);
/* Does a UTF-8 string decode cleanly?  Returns the count of code points or -1. */
long		 cs_utf8_len(const char *, size_t);
/*
 * The raw text of member `key` of the JSON object in text[0..len) (the
 * first one if the key repeats): *val points into text, *vlen bytes, with
 * no surrounding whitespace.  Scans without building a tree, so a list can
 * take three fields of a 2 KB form without parsing it.  Keys are compared
 * byte for byte as written (a key spelt with escapes does not match).
 * CS_ENOENT: no such member; CS_EINVAL: text is not an object as far as
 * the scan reads (it never reads past len; it does not validate what it
 * skips: parse the value it returns).
 */
enum cs_err	 cs_json_pick(const char *text, size_t len, const char *key,
		    const char **val, size_t *vlen) CS_WUR;

/* Time: RFC 3339 with offset.  cs_time_now() is in UTC microseconds. */
int64_t		 cs_time_now_us(void);
/* A monotonic clock in microseconds, for intervals only. */
int64_t		 cs_time_mono_us(void);
/* Formats as 2026-11-21T13:15:00+09:00 in JST (the 様式's zone). */
void		 cs_time_format(int64_t us, char *out, size_t outsz);
/* Parses RFC 3339 with a mandatory offset (or Z); returns CS_EINVAL if bad. */
enum cs_err	 cs_time_parse(const char *, int64_t *us) CS_WUR;

/* Logging: key=value lines on stderr; level checked before formatting. */
enum cs_log_level { CS_LOG_DEBUG, CS_LOG_INFO, CS_LOG_WARN, CS_LOG_ERROR };
void		 log_set_level(enum cs_log_level);
/* JSON lines (the default) or key=value text. */
void		 log_set_json(bool);
/*
 * From now on log_msg() never writes: a thread does, from a 1 MiB ring; a
 * full ring drops lines (counted, reported later) — a stuck stderr never
 * stalls the caller.  log_flush() waits up to wait_us for the ring to drain.
 */
void		 log_async_start(void);
void		 log_flush(int64_t wait_us);
void		 log_msg(enum cs_log_level, const char *, ...) CS_PRINTF(2, 3);
#define log_debug(...)	log_msg(CS_LOG_DEBUG, __VA_ARGS__)
#define log_info(...)	log_msg(CS_LOG_INFO, __VA_ARGS__)
#define log_warn(...)	log_msg(CS_LOG_WARN, __VA_ARGS__)
void		 fatalx(const char *, ...) CS_PRINTF(1, 2) __attribute__((noreturn));

#endif
