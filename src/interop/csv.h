/*
 * csv.h: an RFC 4180 writer (pure: no store, no I/O) for the CSV exports
 * (GET /reports.csv, /advisories.csv, /indicators.csv; docs/interop.md
 * "CSV").
 *
 * A row is cells separated by commas and ended by CRLF.  A cell holding a
 * comma, a double quote, CR or LF is quoted, its quotes doubled.  The
 * formula-injection guard (OWASP "CSV injection"): a cell whose first byte
 * is = + - @, a tab or CR gets a leading apostrophe, so a spreadsheet shows
 * the text and never evaluates it ("=1+1" is written '=1+1, "-5" '-5).
 * The cells of the exports are text, so the guard applies to every cell.
 */
#ifndef CS_CSV_H
#define CS_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "util/util.h"

/* The UTF-8 byte order mark ?bom=1 puts first (Excel reads UTF-8 then). */
#define CSV_BOM		"\xef\xbb\xbf"

/* Does the cell need the leading apostrophe of the formula guard? */
bool		 csv_cell_guarded(const char *s, size_t len);
/* Does the cell (after the guard) need quotes? */
bool		 csv_cell_quoted(const char *s, size_t len);
/*
 * Append one cell of len bytes (s may be NULL for an empty cell), preceded
 * by a comma unless first.  0, or -1 when b's cap was reached.
 */
int		 csv_cell(struct cs_buf *b, const char *s, size_t len, bool first);
/* End the row: CRLF. */
int		 csv_row_end(struct cs_buf *b);
/* A whole row of n NUL-terminated cells (NULL: empty) with its CRLF. */
int		 csv_row(struct cs_buf *b, const char *const *cells, size_t n);

#endif
