/* html.h: the layout every page shares, its form fields, and the account page's sections
   that other features offer. */
#ifndef MEND_WEB_HTML_H
#define MEND_WEB_HTML_H
#include "web.h"
#include "core/coach.h"
#include "core/prompts.h"

/* html.c: the layout every page shares. html_init installs its error pages. */
void html_init(void);
void page_open(rq_t *rq, sb_t *o);
void page_close(rq_t *rq, sb_t *o);
int page_send(rq_t *rq, int status, sb_t *o);
/* The quick exit's answer: a page that goes on to the neutral site at once. */
int page_left(rq_t *rq);
/* Closes the layout and sends the page. */
int page_end(rq_t *rq, sb_t *o, int status);
/* The response buffer with the layout opened, the page's heading (its title) and, when given,
   its lead paragraph: our own words, HTML allowed. */
sb_t *page_start(rq_t *rq, const char *title, const char *lead);
/* The partner's display name, or "your partner" while they have not joined. */
const char *web_partner_name(rq_t *rq);
/* Every tool, grouped (the header's menu and the More page); idp prefixes the groups' ids. */
void page_tools(rq_t *rq, sb_t *o, const char *idp);
/* A form's hidden CSRF field. */
void form_csrf(rq_t *rq, sb_t *o);
int form_csrf_ok(rq_t *rq);
/* A labelled input with its error message (err may be NULL). */
void form_field(sb_t *o, const char *name, const char *label, const char *type, const char *value,
                const char *autocomplete, const char *hint, const char *err);
/* The same, for an input that may stay empty. */
void form_optional(sb_t *o, const char *name, const char *label, const char *type, const char *value, const char *hint,
                   const char *err);
void page_time(sb_t *o, int64_t t);
/* A time of day on the viewer's clock ("20:30"), for what happens within a day. */
void page_clock(rq_t *rq, sb_t *o, int64_t t);
void form_textarea(sb_t *o, const char *name, const char *label, const char *value, const char *hint,
                   const char *err, int rows, int required);
void form_select(sb_t *o, const char *name, const char *label, const char *const *values, const char *const *names,
                 const char *selected, const char *err);
void form_checkbox(sb_t *o, const char *name, const char *label, int checked);
void page_error_notice(sb_t *o, const char *msg);
/* The one choice every tool that can keep words private offers, as its two submit buttons:
   "Keep private" and "Share with NAME" (form field visibility). */
void form_share_buttons(rq_t *rq, sb_t *o);
/* What a page's form chose by those buttons: 1 shared, 0 private, -1 it sent no choice. */
int form_shared(rq_t *rq);
/* After a save: what happened and who can see it ("saved=private" or "saved=shared" in the
   address the form went back to). */
void page_saved_notice(rq_t *rq, sb_t *o);
void page_text(sb_t *o, const char *s);
/* Markdown as HTML (core/markdown.h). keep: shared words, whose HTML this thread keeps by the
   text's hash, so a page of entries is not rendered anew on every visit; a private entry's
   words are rendered and forgotten. */
void page_markdown(sb_t *o, const char *md, int keep);
/* A draft with what the coach finds marked in place, and what it sees (core/coach.h): for the
   author's eyes only. An apology's also lists the parts of a full apology it has. */
void page_coach(sb_t *o, const char *text, enum coach_kind kind);
/* Before a page gives a draft the coach marked: a page asking once "give it anyway?" (the
   form again with anyway=1, or back), and 1; 0 when there is nothing to ask (or on the API). */
int page_give_anyway(rq_t *rq, const char *text, enum coach_kind kind, const char *action, const char *back);
/* Alone (the partner has not joined, or left): says that `what` needs them and where to invite
   them, and returns 1; the page leaves out its form. 0 when the partner is there. */
int page_alone(rq_t *rq, sb_t *o, const char *what);
/* The prompt of this kind to offer the caller now (core/prompts.h): for the couple's phase and
   the caller's path, after `after` (0: the day's own). NULL when none fits or on a failure. */
const prompt_t *web_prompt(rq_t *rq, const char *kind, uint32_t after, int *fits);
/* That prompt on a page, labelled, with a link to another (?prompt=ID#anchor). */
void page_prompt(rq_t *rq, sb_t *o, const char *kind, const char *label, const char *anchor);


/* A section of the account page that another feature offers (its calendar, your data): the
   account page shows each in turn (routes.c lists them, as it joins the route tables); err and
   field: a refused form of that section. */
typedef void (*account_section_fn)(rq_t *rq, sb_t *o, const char *err, const char *field);
extern const account_section_fn account_sections[];

#endif
