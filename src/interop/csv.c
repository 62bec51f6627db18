/*
 * csv.c: the RFC 4180 writer of the CSV exports (interop/csv.h).
 */
#include <string.h>

#include "interop/csv.h"

bool
csv_cell_guarded(const char *s, size_t len)
{
	if (s == NULL || len == 0)
		return false;
	return s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' ||
	    s[0] == '\t' || s[0] == '\r';
}

bool
csv_cell_quoted(const char *s, size_t len)
{
	for (size_t i = 0; s != NULL && i < len; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n')
			return true;
	return false;
}

int
csv_cell(struct cs_buf *b, const char *s, size_t len, bool first)
{
	bool quote = csv_cell_quoted(s, len);
	size_t from = 0;

	if (!first && cs_buf_add(b, ",", 1) != 0)
		return -1;
	if (quote && cs_buf_add(b, "\"", 1) != 0)
		return -1;
	if (csv_cell_guarded(s, len) && cs_buf_add(b, "'", 1) != 0)
		return -1;
	for (size_t i = 0; quote && i < len; i++) {
		if (s[i] != '"')
			continue;
		/* the quote itself, then once more */
		if (cs_buf_add(b, s + from, i + 1 - from) != 0)
			return -1;
		from = i;
	}
	if (len > from && cs_buf_add(b, s + from, len - from) != 0)
		return -1;
	if (quote && cs_buf_add(b, "\"", 1) != 0)
		return -1;
	return 0;
}

int
csv_row_end(struct cs_buf *b)
{
	return cs_buf_add(b, "\r\n", 2) != 0 ? -1 : 0;
}

int
csv_row(struct cs_buf *b, const char *const *cells, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (csv_cell(b, cells[i], cells[i] ? strlen(cells[i]) : 0,
		    i == 0) != 0)
			return -1;
	return csv_row_end(b);
}
