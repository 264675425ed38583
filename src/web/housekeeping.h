/* housekeeping.h: the background sweep of what has expired (housekeeping.c). */
#ifndef MEND_HOUSEKEEPING_H
#define MEND_HOUSEKEEPING_H
#include "db/db.h"

/* Starts the sweep on its own thread and connection, every `seconds` (600 when 0). */
void housekeeping_start(const db_target_t *t, int seconds);
/* Stops it, waiting for a batch under way. */
void housekeeping_stop(void);

#endif
