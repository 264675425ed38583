/* coach.c (web): the coach over HTTP, POST /api/v1/coach. */
#include "web.h"
#include "core/coach.h"

static int h_api_coach(rq_t *rq, json_t *j) {
  size_t kl = 0, tl = 0;
  int bad_k = 0, bad_t = 0;
  const char *k = jget(j, "kind", &kl, &bad_k), *t = jget(j, "text", &tl, &bad_t);
  enum coach_kind kind = COACH_APOLOGY;
  int rc;
  if (bad_k || (k && coach_kind_parse(k, kl, &kind) != 0))
    rc = web_refuse(rq, (verdict){422, "invalid", N_("The kind is \"apology\" or \"message\"."), "kind"}, NULL);
  else if (bad_t || !t || !tl)
    rc = web_refuse(rq, (verdict){422, "required", N_("Give the text to look at."), "text"}, NULL);
  else if (tl > COACH_MAX_TEXT)
    rc = web_refuse(rq, (verdict){422, "too_long", N_("The coach reads up to 64 KiB at a time."), "text"}, NULL);
  else {
    coach_result r;
    if (coach_analyze(t, tl, kind, i18n_index(i18n_current()), &r) != 0) rc = web_error(rq, 500, "coach", "The coach could not read this.", NULL);
    else {
      sb_t *o = web_out(rq);
      coach_json(&r, t, o);
      coach_free(&r);
      rc = web_json(rq, 200, o);
    }
  }
  return rc;
}

const route_t coach_routes[] = {
  {"POST", "/api/v1/coach", h_api_coach, R_AUTH | R_BODY, "api_coach"},
  {NULL, NULL, NULL, 0, NULL},
};
