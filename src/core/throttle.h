/* throttle.h: how long a log-in must wait after failed attempts. Pure rules, no I/O.
   Attempts are counted per (account, address) and per address; a few are free, then each
   further one waits twice as long as the one before, up to a cap. A success clears the
   (account, address) count, and a quiet day clears everything. Nobody can lock a partner out:
   an address that has not been failing is never made to wait. */
#ifndef MEND_THROTTLE_H
#define MEND_THROTTLE_H
#include <stdint.h>

#define THROTTLE_PAIR_FREE 5     /* attempts per account and address before any wait */
#define THROTTLE_ADDR_FREE 20    /* attempts per address, over all accounts */
#define THROTTLE_FIRST_WAIT 30   /* seconds after the last free attempt; doubling after that */
#define THROTTLE_MAX_WAIT (15 * 60)
#define THROTTLE_FORGET 86400    /* one day without attempts starts the count again */
#define SIGNUP_PER_HOUR 10       /* new accounts (sign-up or join) per address and hour */

/* Seconds until the next attempt is allowed (0: now), given the attempts counted so far and
   the time of the last one. */
int64_t throttle_wait(int64_t attempts, int64_t last, int64_t now, int free_attempts);
/* The count after one more attempt at now (a quiet day resets it). */
int64_t throttle_next(int64_t attempts, int64_t last, int64_t now);

#endif
