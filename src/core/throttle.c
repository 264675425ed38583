/* throttle.c: exponential backoff for log-in attempts and an hourly window for sign-ups
   (see throttle.h). */
#include "throttle.h"

throttle_step throttle_backoff(int64_t n, int64_t at, int64_t now, int free_attempts) {
  if (now - at >= THROTTLE_FORGET) return (throttle_step){0, 1, now};
  if (n >= free_attempts) {
    int64_t over = n - free_attempts;
    int64_t wait = over >= 6 ? THROTTLE_MAX_WAIT : THROTTLE_FIRST_WAIT << over;
    if (wait > THROTTLE_MAX_WAIT) wait = THROTTLE_MAX_WAIT;
    if (at + wait > now) return (throttle_step){at + wait - now, n, at};
  }
  return (throttle_step){0, n + 1, now};
}

throttle_step throttle_hourly_window(int64_t n, int64_t at, int64_t now, int limit) {
  if (now - at >= 3600) return (throttle_step){0, 1, now};
  if (n >= limit) return (throttle_step){at + 3600 - now, n, at};
  return (throttle_step){0, n + 1, at};
}
