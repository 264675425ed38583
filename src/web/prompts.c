/* prompts.c (web): GET /api/v1/prompts/next, the prompt to offer now (core/prompts.h): a
   question to ask, a start for the daily truth, a check-in or meeting question, a thank-you, an
   agreement to start from, for the couple's phase and the caller's path. The pages show the
   same one (html.c's page_prompt). A GET never writes: "after" walks the caller's own order, and
   without it the day's own comes, the next each day, so every one is offered before any again. */
#include "web.h"
#include "html.h"
#include "core/prompts.h"
#include <stdlib.h>
#include <string.h>

static int h_api_next(rq_t *rq, json_t *j) {
  (void)j;
  char kind[16], after[16];
  long kn = web_query(rq, "kind", kind, sizeof kind), an = web_query(rq, "after", after, sizeof after);
  int known = 0;
  for (int i = 0; kn > 0 && prompt_kinds[i]; i++) known |= !strcmp(prompt_kinds[i], kind);
  if (!known)
    return web_error(rq, 422, "invalid", "Ask for a kind: question, truth, checkin, meeting, appreciation or agreement.", "kind");
  uint32_t a = 0;
  if (an >= 0) {
    char *end;
    unsigned long v = an > 0 && an < 11 ? strtoul(after, &end, 10) : 0;
    if (!v || *end || v > 0xffffffffu) return web_error(rq, 422, "invalid", "after is the id of a prompt you were given.", "after");
    a = (uint32_t)v;
  }
  int fits;
  const prompt_t *p = web_prompt(rq, kind, a, &fits);
  if (!p) return fits ? web_db_error(rq) : web_error(rq, 404, "not_found", "No prompt of that kind fits where you are now.", NULL);
  sb_t *o = web_out(rq);
  sb_json(o, "{\"id\":%u,\"kind\":%q,\"text\":%q,\"for\":%r,\"of\":%d}", (unsigned)p->id, p->kind, _(p->text),
          !strcmp(p->path, "hurt") ? "\"hurt\"" : !strcmp(p->path, "broke") ? "\"broke_trust\"" : "\"both\"", fits);
  return web_json(rq, 200, o);
}

const route_t prompts_routes[] = {
  {"GET", "/api/v1/prompts/next", h_api_next, R_AUTH | R_PICK, "api_prompts_next"},
  {NULL, NULL, NULL, 0, NULL},
};
