/* isotime.h: UTC timestamps as ISO 8601 text ("2026-11-25T21:00:00Z"), by arithmetic. */
#ifndef MEND_ISOTIME_H
#define MEND_ISOTIME_H
#define SECONDS_PER_DAY 86400
#include <stdint.h>

void iso_time(int64_t t, char out[32]);

#endif
