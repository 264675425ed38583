/* routes.c: the one table of every route of mend (method, path pattern, handler, flags),
   and the dispatcher that matches a request against it, loads the session, enforces
   authentication and CSRF, and calls the handler. The authorization tests walk this map. */
#include "web.h"
#include <stdatomic.h>
#include <string.h>
#include <time.h>

const route_t routes[] = {
  /* pages */
  {"GET", "/", h_welcome, 0, "home"},
  {"GET", "/signup", h_signup_page, 0, "signup"},
  {"POST", "/signup", h_signup_post, R_CSRF, "signup"},
  {"GET", "/login", h_login_page, 0, "login"},
  {"POST", "/login", h_login_post, R_CSRF, "login"},
  {"POST", "/logout", h_logout_post, R_AUTH | R_CSRF, "logout"},
  {"GET", "/join", h_join_page, 0, "join"},
  {"GET", "/join/{code}", h_join_page, R_SECRET_PATH, "join"},
  {"POST", "/join", h_join_post, R_CSRF, "join"},
  {"POST", "/invites", h_invite_post, R_AUTH | R_CSRF, "invites"},
  {"GET", "/account", h_account_page, R_AUTH, "account"},
  {"POST", "/account/password", h_password_post, R_AUTH | R_CSRF, "account_password"},
  {"POST", "/account/logout-everywhere", h_logout_all_post, R_AUTH | R_CSRF, "account_logout_all"},
  {"POST", "/account/timezone", h_timezone_post, R_AUTH | R_CSRF, "account_timezone"},
  {"POST", "/account/calendar", h_calendar_renew_post, R_AUTH | R_CSRF, "account_calendar"},
  {"POST", "/account/calendar/revoke", h_calendar_revoke_post, R_AUTH | R_CSRF, "account_calendar"},
  {"GET", "/calendar/{file}", h_calendar_feed, R_SECRET_PATH, "calendar_feed"},
  {"GET", "/program", h_program_page, R_AUTH, "program"},
  {"POST", "/program/ready", h_program_ready_post, R_AUTH | R_CSRF, "program_ready"},
  {"POST", "/program/not-ready", h_program_unready_post, R_AUTH | R_CSRF, "program_ready"},
  {"GET", "/breach", h_breach_page, R_AUTH, "breach"},
  {"POST", "/breach", h_breach_post, R_AUTH | R_CSRF, "breach"},
  {"POST", "/breach/acknowledge", h_breach_ack_post, R_AUTH | R_CSRF, "breach_ack"},
  {"GET", "/feelings", h_feelings_page, R_AUTH, "feelings"},
  {"POST", "/feelings", h_feelings_post, R_AUTH | R_CSRF, "feelings"},
  {"POST", "/feelings/{id}/heard", h_feeling_heard_post, R_AUTH | R_CSRF, "feeling_heard"},
  {"GET", "/questions", h_questions_page, R_AUTH, "questions"},
  {"POST", "/questions", h_questions_post, R_AUTH | R_CSRF, "questions"},
  {"POST", "/questions/{id}/answers", h_question_answer_post, R_AUTH | R_CSRF, "question_answer"},
  {"POST", "/questions/{id}/ask-again", h_question_again_post, R_AUTH | R_CSRF, "question_again"},
  {"GET", "/apologies", h_apologies_page, R_AUTH, "apologies"},
  {"POST", "/apologies", h_apologies_post, R_AUTH | R_CSRF, "apologies"},
  {"POST", "/apologies/{id}", h_apology_edit_post, R_AUTH | R_CSRF, "apology_edit"},
  {"POST", "/apologies/{id}/deliver", h_apology_deliver_post, R_AUTH | R_CSRF, "apology_deliver"},
  {"POST", "/apologies/{id}/response", h_apology_response_post, R_AUTH | R_CSRF, "apology_response"},
  {"GET", "/agreements", h_agreements_page, R_AUTH, "agreements"},
  {"POST", "/agreements", h_agreements_post, R_AUTH | R_CSRF, "agreements"},
  {"POST", "/agreements/{id}/sign", h_agreement_sign_post, R_AUTH | R_CSRF, "agreement_sign"},
  {"POST", "/agreements/{id}/revisions", h_agreement_revise_post, R_AUTH | R_CSRF, "agreement_revise"},
  {"POST", "/agreements/{id}/retire", h_agreement_retire_post, R_AUTH | R_CSRF, "agreement_retire"},
  {"GET", "/promises", h_promises_page, R_AUTH, "promises"},
  {"POST", "/promises", h_promises_post, R_AUTH | R_CSRF, "promises"},
  {"POST", "/promises/{id}/reports", h_promise_report_post, R_AUTH | R_CSRF, "promise_report"},
  {"POST", "/promises/{id}/reports/{date}/confirm", h_promise_confirm_post, R_AUTH | R_CSRF, "promise_confirm"},
  {"GET", "/ledger", h_ledger_page, R_AUTH, "ledger"},
  {"GET", "/truths", h_truths_page, R_AUTH, "truths"},
  {"GET", "/checkins", h_checkins_page, R_AUTH, "checkins"},
  {"GET", "/dashboard", h_dashboard_page, R_AUTH, "dashboard"},
  {"GET", "/guidance", h_guidance_page, 0, "guidance"},
  {"POST", "/guidance/dismiss", h_guidance_dismiss_post, R_AUTH | R_CSRF, "guidance_dismiss"},
  {"POST", "/checkins/schedule", h_checkin_schedule_post, R_AUTH | R_CSRF, "checkin_schedule"},
  {"POST", "/checkins/{week}", h_checkin_post, R_AUTH | R_CSRF, "checkin"},
  {"POST", "/truths", h_truths_post, R_AUTH | R_CSRF, "truths"},
  {"GET", "/journal", h_journal_page, R_AUTH, "journal"},
  {"POST", "/journal", h_journal_post, R_AUTH | R_CSRF, "journal"},
  {"POST", "/journal/{id}/additions", h_journal_addition_post, R_AUTH | R_CSRF, "journal_addition"},
  {"GET", "/closeness", h_closeness_page, R_AUTH, "closeness"},
  {"POST", "/closeness", h_closeness_post, R_AUTH | R_CSRF, "closeness"},
  {"GET", "/moments", h_moments_page, R_AUTH, "moments"},
  {"POST", "/moments", h_moments_post, R_AUTH | R_CSRF, "moments"},
  {"POST", "/moments/{id}/done", h_moment_done_post, R_AUTH | R_CSRF, "moment"},
  {"POST", "/moments/{id}/note", h_moment_note_post, R_AUTH | R_CSRF, "moment"},
  {"POST", "/appreciations", h_appreciations_post, R_AUTH | R_CSRF, "appreciations"},
  {"GET", "/values", h_values_page, R_AUTH, "values"},
  {"POST", "/values", h_values_post, R_AUTH | R_CSRF, "values"},
  {"POST", "/values/{id}/affirm", h_value_affirm_post, R_AUTH | R_CSRF, "value_affirm"},
  {"POST", "/goals", h_goals_post, R_AUTH | R_CSRF, "goals"},
  {"POST", "/goals/{id}", h_goal_post, R_AUTH | R_CSRF, "goal"},
  {"GET", "/setbacks", h_setbacks_page, R_AUTH, "setbacks"},
  {"POST", "/setbacks", h_setbacks_post, R_AUTH | R_CSRF, "setbacks"},
  {"GET", "/forgiveness", h_forgiveness_page, R_AUTH, "forgiveness"},
  {"POST", "/forgiveness", h_forgiveness_post, R_AUTH | R_CSRF, "forgiveness"},
  {"POST", "/forgiveness/{id}/share", h_forgiveness_share_post, R_AUTH | R_CSRF, "forgiveness_share"},
  {"POST", "/rest", h_rest_post, R_AUTH | R_CSRF, "rest"},
  {"POST", "/rest/undo", h_rest_undo_post, R_AUTH | R_CSRF, "rest"},
  {"GET", "/archive", h_archive_page, R_AUTH, "archive"},
  {"POST", "/journal/{id}/report", h_journal_report_post, R_AUTH | R_CSRF, "journal_report"},
  {"GET", "/reports", h_reports_page, R_AUTH, "reports"},
  {"POST", "/reports", h_reports_post, R_AUTH | R_CSRF, "reports"},
  {"GET", "/reports/{id}", h_report_page, R_AUTH, "report"},
  {"POST", "/reports/{id}/links", h_report_link_post, R_AUTH | R_CSRF, "report_link"},
  {"POST", "/reports/links/{id}/revoke", h_report_link_revoke_post, R_AUTH | R_CSRF, "report_link_revoke"},
  {"GET", "/r/{secret}", h_report_shared, R_SECRET_PATH, "report_shared"},
  {"GET", "/account/export", h_account_export, R_AUTH, "account_export"},
  {"POST", "/account/delete", h_account_delete_post, R_AUTH | R_CSRF, "account_delete"},
  {"POST", "/couple/erase", h_couple_erase_post, R_AUTH | R_CSRF, "couple_erase"},
  {"POST", "/couple/erase/withdraw", h_couple_erase_withdraw_post, R_AUTH | R_CSRF, "couple_erase"},
  /* JSON API */
  {"POST", "/api/v1/signup", h_api_signup, 0, "api_signup"},
  {"POST", "/api/v1/login", h_api_login, 0, "api_login"},
  {"POST", "/api/v1/logout", h_api_logout, R_AUTH, "api_logout"},
  {"POST", "/api/v1/logout-everywhere", h_api_logout_all, R_AUTH, "api_logout_all"},
  {"GET", "/api/v1/me", h_api_me, R_AUTH, "api_me"},
  {"GET", "/api/v1/users/{id}", h_api_user, R_AUTH, "api_user"},
  {"GET", "/api/v1/couples/{id}", h_api_couple, R_AUTH, "api_couple"},
  {"POST", "/api/v1/invites", h_api_invite, R_AUTH, "api_invites"},
  {"POST", "/api/v1/join", h_api_join, 0, "api_join"},
  {"PUT", "/api/v1/account/password", h_api_password, R_AUTH, "api_password"},
  {"PUT", "/api/v1/account/timezone", h_api_timezone, R_AUTH, "api_timezone"},
  {"POST", "/api/v1/coach", h_api_coach, R_AUTH, "api_coach"},
  {"GET", "/api/v1/program", h_api_program, R_AUTH, "api_program"},
  {"POST", "/api/v1/program/ready", h_api_program_ready, R_AUTH, "api_program_ready"},
  {"DELETE", "/api/v1/program/ready", h_api_program_unready, R_AUTH, "api_program_ready"},
  {"GET", "/api/v1/breach", h_api_breach, R_AUTH, "api_breach"},
  {"PUT", "/api/v1/breach/account", h_api_breach_account, R_AUTH, "api_breach_account"},
  {"POST", "/api/v1/breach/acknowledge", h_api_breach_ack, R_AUTH, "api_breach_ack"},
  {"GET", "/api/v1/feelings", h_api_feelings, R_AUTH, "api_feelings"},
  {"POST", "/api/v1/feelings", h_api_feelings_post, R_AUTH, "api_feelings"},
  {"POST", "/api/v1/feelings/{id}/heard", h_api_feeling_heard, R_AUTH, "api_feeling_heard"},
  {"GET", "/api/v1/questions", h_api_questions, R_AUTH, "api_questions"},
  {"POST", "/api/v1/questions", h_api_questions_post, R_AUTH, "api_questions"},
  {"POST", "/api/v1/questions/{id}/answers", h_api_question_answer, R_AUTH, "api_question_answer"},
  {"POST", "/api/v1/questions/{id}/ask-again", h_api_question_again, R_AUTH, "api_question_again"},
  {"GET", "/api/v1/apologies", h_api_apologies, R_AUTH, "api_apologies"},
  {"POST", "/api/v1/apologies", h_api_apologies_post, R_AUTH, "api_apologies"},
  {"PUT", "/api/v1/apologies/{id}", h_api_apology_edit, R_AUTH, "api_apology"},
  {"POST", "/api/v1/apologies/{id}/deliver", h_api_apology_deliver, R_AUTH, "api_apology_deliver"},
  {"POST", "/api/v1/apologies/{id}/response", h_api_apology_response, R_AUTH, "api_apology_response"},
  {"GET", "/api/v1/agreements", h_api_agreements, R_AUTH, "api_agreements"},
  {"POST", "/api/v1/agreements", h_api_agreements_post, R_AUTH, "api_agreements"},
  {"POST", "/api/v1/agreements/{id}/sign", h_api_agreement_sign, R_AUTH, "api_agreement_sign"},
  {"POST", "/api/v1/agreements/{id}/revisions", h_api_agreement_revise, R_AUTH, "api_agreement_revise"},
  {"POST", "/api/v1/agreements/{id}/retire", h_api_agreement_retire, R_AUTH, "api_agreement_retire"},
  {"GET", "/api/v1/promises", h_api_promises, R_AUTH, "api_promises"},
  {"POST", "/api/v1/promises", h_api_promises_post, R_AUTH, "api_promises"},
  {"POST", "/api/v1/promises/{id}/reports", h_api_promise_report, R_AUTH, "api_promise_report"},
  {"POST", "/api/v1/promises/{id}/reports/{date}/confirm", h_api_promise_confirm, R_AUTH, "api_promise_confirm"},
  {"GET", "/api/v1/measures/consistency", h_api_consistency, R_AUTH, "api_consistency"},
  {"GET", "/api/v1/ledger", h_api_ledger, R_AUTH, "api_ledger"},
  {"GET", "/api/v1/truths", h_api_truths, R_AUTH, "api_truths"},
  {"GET", "/api/v1/checkins", h_api_checkins, R_AUTH, "api_checkins"},
  {"GET", "/api/v1/measures", h_api_measures, R_AUTH, "api_measures"},
  {"GET", "/api/v1/calendar", h_api_calendar, R_AUTH, "api_calendar"},
  {"POST", "/api/v1/calendar", h_api_calendar_renew, R_AUTH, "api_calendar"},
  {"DELETE", "/api/v1/calendar", h_api_calendar_revoke, R_AUTH, "api_calendar"},
  {"PUT", "/api/v1/checkins/schedule", h_api_checkin_schedule, R_AUTH, "api_checkin_schedule"},
  {"GET", "/api/v1/checkins/{week}", h_api_checkin, R_AUTH, "api_checkin"},
  {"PUT", "/api/v1/checkins/{week}/answers", h_api_checkin_answers, R_AUTH, "api_checkin_answers"},
  {"POST", "/api/v1/truths", h_api_truths_post, R_AUTH, "api_truths"},
  {"GET", "/api/v1/journal", h_api_journal, R_AUTH, "api_journal"},
  {"POST", "/api/v1/journal", h_api_journal_post, R_AUTH, "api_journal"},
  {"POST", "/api/v1/journal/{id}/additions", h_api_journal_addition, R_AUTH, "api_journal_addition"},
  {"GET", "/api/v1/closeness", h_api_closeness, R_AUTH, "api_closeness"},
  {"PUT", "/api/v1/closeness/{step}", h_api_closeness_put, R_AUTH, "api_closeness_step"},
  {"GET", "/api/v1/moments", h_api_moments, R_AUTH, "api_moments"},
  {"POST", "/api/v1/moments", h_api_moments_post, R_AUTH, "api_moments"},
  {"PUT", "/api/v1/moments/{id}", h_api_moment_put, R_AUTH, "api_moment"},
  {"GET", "/api/v1/appreciations", h_api_appreciations, R_AUTH, "api_appreciations"},
  {"POST", "/api/v1/appreciations", h_api_appreciations_post, R_AUTH, "api_appreciations"},
  {"GET", "/api/v1/values", h_api_values, R_AUTH, "api_values"},
  {"POST", "/api/v1/values", h_api_values_post, R_AUTH, "api_values"},
  {"POST", "/api/v1/values/{id}/affirm", h_api_value_affirm, R_AUTH, "api_value_affirm"},
  {"GET", "/api/v1/goals", h_api_goals, R_AUTH, "api_goals"},
  {"POST", "/api/v1/goals", h_api_goals_post, R_AUTH, "api_goals"},
  {"PUT", "/api/v1/goals/{id}", h_api_goal_put, R_AUTH, "api_goal"},
  {"GET", "/api/v1/setbacks", h_api_setbacks, R_AUTH, "api_setbacks"},
  {"POST", "/api/v1/setbacks", h_api_setbacks_post, R_AUTH, "api_setbacks"},
  {"GET", "/api/v1/forgiveness", h_api_forgiveness, R_AUTH, "api_forgiveness"},
  {"POST", "/api/v1/forgiveness", h_api_forgiveness_post, R_AUTH, "api_forgiveness"},
  {"POST", "/api/v1/forgiveness/{id}/share", h_api_forgiveness_share, R_AUTH, "api_forgiveness_share"},
  {"GET", "/api/v1/rest", h_api_rest, R_AUTH, "api_rest"},
  {"POST", "/api/v1/rest", h_api_rest_post, R_AUTH, "api_rest"},
  {"DELETE", "/api/v1/rest", h_api_rest_delete, R_AUTH, "api_rest"},
  {"PUT", "/api/v1/journal/{id}", h_api_journal_put, R_AUTH, "api_journal_entry"},
  {"GET", "/api/v1/reports", h_api_reports, R_AUTH, "api_reports"},
  {"GET", "/api/v1/export", h_api_export, R_AUTH, "api_export"},
  {"DELETE", "/api/v1/account", h_api_account_delete, R_AUTH, "api_account_delete"},
  {"GET", "/api/v1/couple/erase", h_api_couple_erase_state, R_AUTH, "api_couple_erase"},
  {"POST", "/api/v1/couple/erase", h_api_couple_erase, R_AUTH, "api_couple_erase"},
  {"DELETE", "/api/v1/couple/erase", h_api_couple_erase_withdraw, R_AUTH, "api_couple_erase"},
  {"POST", "/api/v1/reports", h_api_reports_post, R_AUTH, "api_reports"},
  {"GET", "/api/v1/reports/{id}", h_api_report, R_AUTH, "api_report"},
  {"POST", "/api/v1/reports/{id}/links", h_api_report_link, R_AUTH, "api_report_link"},
  {"DELETE", "/api/v1/reports/links/{id}", h_api_report_link_revoke, R_AUTH, "api_report_link"},
  /* operations */
  {"GET", "/static/{file}", h_static, R_OPS, "static"},
  {"GET", "/healthz", h_healthz, R_OPS, "healthz"},
};
const int n_routes = (int)(sizeof routes / sizeof routes[0]);

/* An id as mend makes them: decimal digits, below 2^53 (secret_id), no leading zero. */
static int id_shaped(const char *s, size_t n) {
  if (!n || n > 16 || (s[0] == '0' && n > 1)) return 0;
  uint64_t x = 0;
  for (size_t k = 0; k < n; k++) {
    if (s[k] < '0' || s[k] > '9') return 0;
    x = x * 10 + (uint64_t)(s[k] - '0');
  }
  return x < (1ull << 53);
}

/* Matches path against pattern; {name} matches one non-empty segment, and {id} only an id,
   so every handler gets a well-formed id and a malformed one is simply not found (404). */
static int match(const char *pat, const char *path, size_t n, h2o_iovec_t *params) {
  size_t i = 0;
  int np = 0;
  while (*pat) {
    if (*pat == '{') {
      size_t s = i;
      while (i < n && path[i] != '/') i++;
      if (i == s || np >= 3) return 0;
      if (!strncmp(pat, "{id}", 4) && !id_shaped(path + s, i - s)) return 0;
      params[np++] = h2o_iovec_init(path + s, i - s);
      while (*pat && *pat != '}') pat++;
      if (*pat) pat++;
      continue;
    }
    if (i >= n || path[i] != *pat) return 0;
    i++;
    pat++;
  }
  return i == n;
}

static void *rq_alloc(arena_t *a, size_t n) {
  rq_t *rq = (rq_t *)a; /* mem is the first member */
  return h2o_mem_alloc_pool(&rq->req->pool, n);
}

static void rq_dispose(void *p) {
  rq_t *rq = p;
  rq->loop->inflight--;
  web_response_done(rq);
  if (rq->job) {
    rq->job->rq = NULL;
    atomic_store(&rq->job->gone, 1);
  }
  web_forget_key(rq);
}


int routes_dispatch(h2o_handler_t *self, h2o_req_t *req) {
  (void)self;
  loop_t *loop = H2O_STRUCT_FROM_MEMBER(loop_t, ctx, req->conn->ctx);
  rq_t *rq = h2o_mem_alloc_shared(&req->pool, sizeof *rq, rq_dispose);
  memset(rq, 0, sizeof *rq);
  rq->mem.alloc = rq_alloc;
  rq->req = req;
  rq->loop = loop;
  rq->start_ns = web_mono_ns();
  loop->inflight++;

  const char *path = req->path_normalized.base;
  size_t n = req->path_normalized.len;
  rq->api = n >= 5 && !memcmp(path, "/api/", 5);
  if (web_length_ambiguous(req)) {
    req->http1_is_persistent = 0; /* what follows on this connection cannot be trusted either */
    return web_error(rq, 400, "bad_request", "The request's length is ambiguous; it was not read.", NULL);
  }
  const route_t *found = NULL;
  int path_matched = 0;
  int head = h2o_memis(req->method.base, req->method.len, H2O_STRLIT("HEAD"));
  for (int i = 0; i < n_routes; i++) {
    h2o_iovec_t params[3] = {{NULL, 0}, {NULL, 0}, {NULL, 0}};
    if (!match(routes[i].pattern, path, n, params)) continue;
    path_matched = 1;
    size_t ml = strlen(routes[i].method);
    if (h2o_memis(req->method.base, req->method.len, routes[i].method, ml) ||
        (head && !strcmp(routes[i].method, "GET"))) {
      found = &routes[i];
      memcpy(rq->params, params, sizeof params);
      break;
    }
  }
  if (!found) {
    if (path_matched) return web_error(rq, 405, "method_not_allowed", "This address does not accept that method.", NULL);
    return web_error(rq, 404, "not_found", "There is nothing here.", NULL);
  }
  rq->route = found;
  if (req->entity.len > MAX_BODY) return web_too_large(rq);
  int reads = !strcmp(found->method, "GET");
  if (!(found->flags & R_OPS)) {
    if (reads) {
      db_read_begin(loop->db);
      rq->read_tx = 1;
    }
    session_load(rq);
  }
  if ((found->flags & R_AUTH) && !rq->authed) {
    if (rq->api) return web_error(rq, 401, "unauthorized", "Log in first: send Authorization: Bearer TOKEN.", NULL);
    return web_redirect(rq, "/login");
  }
  if ((found->flags & R_CSRF) && !session_check_csrf(rq))
    return web_error(rq, 403, "csrf", "This form has expired or did not come from mend. Go back, reload the page and try again.", NULL);
  if (!reads && !(found->flags & R_OPS) && web_write_begin(rq) != 0) return 0;
  int rc = found->fn(rq);
  if (rq->write_tx && !rq->job) {
    /* a handler that answered nothing: nothing it did is kept */
    while (db_tx_depth(loop->db) > 0) db_rollback(loop->db);
    rq->write_tx = 0;
  }
  return rc;
}
