/* report.h (app): the counsellor's report (report.c): the same document from the web and from
   `mend report`. */
#ifndef MEND_APP_REPORT_H
#define MEND_APP_REPORT_H
#include "app.h"
#include "util/sb.h"

/* The report's body over days [from, to]; made_by is who the report says made it. Lists and
   copies live in mem. 0, or -1 on a database error. */
int report_build(db_t *db, int64_t couple, int64_t from, int64_t to, int64_t made_at, const char *made_by, arena_t *mem,
                 sb_t *o);

/* The report's parts, as a couple lets a counsellor see them (db/counsellors.h): names in
   REPORT_PARTS order ("program", "agreements", ...), their labels for pages (N_), a set of
   them as bits (1 << index). */
#define REPORT_PARTS 7
#define REPORT_ALL ((1u << REPORT_PARTS) - 1)
extern const char *const report_parts[REPORT_PARTS + 1], *const report_part_labels[REPORT_PARTS + 1];
/* "agreements,promises" as bits; 0 when a name is unknown or none is given. */
unsigned report_parts_parse(const char *csv, size_t n);
/* "agreements,promises" as the JSON array ["agreements","promises"] (the API's tools). */
void report_parts_json(sb_t *o, const char *csv);
/* The bits as "agreements,promises" (out holds at least 80 bytes). */
void report_parts_format(unsigned parts, char *out, size_t cap);
/* The body with only the given parts (the header says the report is live when `live`). */
int report_build_parts(db_t *db, int64_t couple, int64_t from, int64_t to, int64_t made_at, const char *made_by, unsigned parts,
                       int live, arena_t *mem, sb_t *o);
/* A whole HTML document around a report body; css inline (offline) or NULL to link it. */
void report_document(sb_t *o, const char *body, const char *css);

#endif
