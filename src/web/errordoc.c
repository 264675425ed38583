/* errordoc.c: the errors h2o answers by itself, before any handler runs (a body past the
   entity limit, a malformed request), dressed in mend's shapes: the JSON error of the API for
   /api/ addresses, a page like every other for the rest. As h2o's own errordoc handler does,
   a filter on the host's fallback path replaces the plain text while the response starts. */
#include "web.h"
#include "loop.h"
#include "html.h"
#include <string.h>

typedef struct { h2o_ostream_t super; h2o_iovec_t body; } dressed_t;

static void dressed_send(h2o_ostream_t *self, h2o_req_t *req, h2o_iovec_t *bufs, size_t n, h2o_send_state_t state) {
  (void)bufs;
  (void)n;
  dressed_t *d = (dressed_t *)self;
  /* h2o's own text is dropped; ours goes with the final call */
  if (h2o_send_state_is_in_progress(state)) h2o_ostream_send_next(self, req, NULL, 0, state);
  else h2o_ostream_send_next(self, req, &d->body, 1, state);
}

static void what(int status, const char **code, const char **msg) {
  switch (status) {
    case 413:
      *code = "too_large";
      *msg = N_("What you sent is larger than mend accepts (1 MiB), so it was not read and nothing was saved. Go back: "
                "your words are still in the form there; copy them, then send them in parts.");
      return;
    case 404: *code = "not_found"; *msg = N_("There is nothing here."); return;
    default: *code = "bad_request"; *msg = N_("This request could not be read, so nothing was saved."); return;
  }
}

static void on_setup(h2o_filter_t *self, h2o_req_t *req, h2o_ostream_t **slot) {
  (void)self;
  if (req->res.status >= 400) {
    rq_t rq;
    memset(&rq, 0, sizeof rq);
    rq.req = req;
    h2o_iovec_t path = req->path_normalized.base ? req->path_normalized : req->path;
    rq.api = path.len >= 5 && !memcmp(path.base, "/api/", 5);
    /* in the language the browser asks for: this thread's last request was someone else's */
    web_pick_language(&rq);
    const char *code, *msg;
    what(req->res.status, &code, &msg);
    msg = _(msg);
    sb_t o;
    sb_init(&o, 4096);
    if (rq.api) sb_json(&o, "{\"error\":{\"code\":%q,\"message\":%q,\"field\":null}}", code, msg);
    else {
      page_open(&rq, &o);
      sb_html(&o, "<h1>That did not work</h1>\n<p class=\"lead\">%s</p>\n<p><a href=\"/\">Back to the start</a></p>\n", msg);
      page_close(&rq, &o);
    }
    dressed_t *d = (dressed_t *)h2o_add_ostream(req, sizeof *d, slot);
    d->super.do_send = dressed_send;
    d->body = h2o_strdup(&req->pool, o.buf, o.len);
    sb_free(&o);
    memset(&req->res.headers, 0, sizeof req->res.headers);
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE, NULL,
                   rq.api ? "application/json; charset=utf-8" : "text/html; charset=utf-8",
                   rq.api ? strlen("application/json; charset=utf-8") : strlen("text/html; charset=utf-8"));
    web_security_headers(req);
    req->res.content_length = d->body.len;
    slot = &d->super.next;
  }
  h2o_setup_next_ostream(req, slot);
}

void errordoc_register(h2o_hostconf_t *host) {
  h2o_create_filter(&host->fallback_path, sizeof(h2o_filter_t))->on_setup_ostream = on_setup;
}
