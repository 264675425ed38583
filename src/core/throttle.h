/* throttle.h: how long a log-in must wait after failed attempts. Pure rules, no I/O.
   Attempts are counted per (account, address) and per address; a few are free, then each
   further one waits twice as long as the one before, up to a cap. A success clears the
   (account, address) count, and a quiet day clears everything. Nobody can lock a partner out:
   an address that has not been failing is never made to wait. */
#ifndef MEND_THROTTLE_H
#define MEND_THROTTLE_H
#include <stdint.h>
#include "days.h"

#define THROTTLE_PAIR_FREE 5     /* attempts per account and address before any wait */
#define THROTTLE_ADDR_FREE 20    /* attempts per address, over all accounts */
#define THROTTLE_FIRST_WAIT 30   /* seconds after the last free attempt; doubling after that */
#define THROTTLE_MAX_WAIT (15 * 60)
#define THROTTLE_FORGET SECONDS_PER_DAY    /* one day without attempts starts the count again */
#define SIGNUP_PER_HOUR 10       /* new accounts (sign-up or join) per address and hour */

/* One more attempt at `now` on a count of n attempts whose time is `at` (0 when there is none):
   wait > 0 refuses it for that many seconds; else (n, at) is the count to store. */
typedef struct { int64_t wait, n, at; } throttle_step;
typedef throttle_step (*throttle_rule)(int64_t n, int64_t at, int64_t now, int arg);
/* Log-ins: `at` is the last attempt; arg attempts are free, then the waits double. */
throttle_step throttle_backoff(int64_t n, int64_t at, int64_t now, int free_attempts);
/* Sign-ups: `at` is the start of a one-hour window holding at most arg. */
throttle_step throttle_hourly_window(int64_t n, int64_t at, int64_t now, int limit);

#endif
