/* throttle.c: exponential backoff for log-in attempts (see throttle.h). */
#include "throttle.h"

int64_t throttle_wait(int64_t attempts, int64_t last, int64_t now, int free_attempts) {
  if (now - last >= THROTTLE_FORGET || attempts < free_attempts) return 0;
  int64_t over = attempts - free_attempts;
  int64_t wait = over >= 6 ? THROTTLE_MAX_WAIT : THROTTLE_FIRST_WAIT << over;
  if (wait > THROTTLE_MAX_WAIT) wait = THROTTLE_MAX_WAIT;
  return last + wait > now ? last + wait - now : 0;
}

int64_t throttle_next(int64_t attempts, int64_t last, int64_t now) {
  return now - last >= THROTTLE_FORGET ? 1 : attempts + 1;
}
