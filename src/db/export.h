/* export.h: a couple's data as one JSON document, "mend-export/1" (docs/export.md), and its
   restoration as a new couple on any server and either engine. */
#ifndef MEND_DB_EXPORT_H
#define MEND_DB_EXPORT_H
#include "db.h"
#include "core/seal.h"
#include "util/sb.h"

#define EXPORT_FORMAT "mend-export/2"
#define EXPORT_FORMAT_1 "mend-export/1" /* times as Unix seconds, days as numbers: still imported */

/* viewer: the partner asking, whose private entries are opened with dk (their data key); or
   0 for the operator: shared data only, nothing private. 0 on success. */
int export_couple(db_t *db, int64_t couple, int64_t viewer, const unsigned char *dk, int64_t now, sb_t *out);

typedef struct {
  int64_t couple;
  int n;
  char username[2][40];
  char password[2][24];  /* a temporary password for each restored partner */
} import_result;
/* Restores an export as a new couple, in one transaction: nothing changes on failure. Each
   partner gets a new temporary password (and a new data key under it: their private entries
   in the export are sealed again). Returns 0, 2 for a document that cannot be restored (err
   says why), or 1 on a database error. */
int import_couple(db_t *db, const char *json, size_t n, import_result *res, char *err, size_t errlen);

#endif
