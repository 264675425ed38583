/* push.h: Web Push delivery (push.c): the worker that pushes what waits for each partner, and
   what the reminders pages need of it. */
#ifndef MEND_WEB_PUSH_H
#define MEND_WEB_PUSH_H
#include <stddef.h>
#include "db/db.h"

/* Makes the server's VAPID key if the database has none, then starts the worker on its own
   thread and connection, a round every `seconds` (30 when 0). 0, or -1 (said on stderr). */
int push_start(const db_target_t *t, int seconds);
void push_stop(void);
/* The VAPID public key in base64url (what a browser subscribes with): 0, or -1. */
int push_public_key(char *out, size_t cap);
/* Whether mend sends to this endpoint (a push service of --push-hosts, https, or http on a
   loopback host named there), and its origin (the VAPID audience). */
int push_endpoint_origin(const char *url, char *origin, size_t cap);

#endif
