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
/* A whole HTML document around a report body; css inline (offline) or NULL to link it. */
void report_document(sb_t *o, const char *body, const char *css);

#endif
