/* session.h: starting a session at log-in, and its cookie. */
#ifndef MEND_WEB_SESSION_H
#define MEND_WEB_SESSION_H
#include "web.h"

/* session.c */
/* Creates a session for u, holding the data key dk (may be NULL) wrapped under the new token;
   writes the token into token (TOKEN_CHARS+1). */
int session_start(rq_t *rq, const user_t *u, int api, const unsigned char *dk, char *token);
void session_cookie(rq_t *rq, const char *token);

#endif
