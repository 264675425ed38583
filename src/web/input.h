/* input.h: what a handler reads from a request: the API's JSON body and its members, a page's
   form fields and query, yes/no and whole numbers, and the answer to a refused input (the JSON
   error, or the form again with the words the user sent). Part of web.h, which includes it
   once rq_t is known; implemented in http.c. */
#ifndef MEND_WEB_INPUT_H
#define MEND_WEB_INPUT_H

/* Body helpers. json: parses an object, or answers 400/415 and returns NULL. */
json_t *web_json_body(rq_t *rq);
/* A string member; NULL when absent. Sets *bad when present but not a string. */
const char *jget(json_t *o, const char *key, size_t *len, int *bad);
long web_form(rq_t *rq, const char *name, char *out, size_t cap);
long web_query(rq_t *rq, const char *name, char *out, size_t cap);
/* A text input from the JSON body (j) or the form: NULL when absent; *bad when present but
   not text. Form values are decoded into the request's pool. */
const char *web_text(rq_t *rq, json_t *j, const char *name, size_t *len, int *bad);
/* A yes/no input: JSON true/false, or a form checkbox (present means yes). */
int web_flag(rq_t *rq, json_t *j, const char *name, int *bad);
/* A whole number from JSON or the form: 1 read into *out, 0 absent or empty, -1 not one. */
int web_int(rq_t *rq, json_t *j, const char *name, int64_t *out);
/* The i-th {param} of the route as an id, or -1. */
int64_t web_param_id(rq_t *rq, int i);
/* Answers a refused request. The API gets the JSON error (v's status, code, message, field);
   a page gets its form again from `form`, which shows v's message at v's field with the words
   the user sent (read again from the request, see web_form_text), so nothing typed is lost;
   an error page when form is NULL or v is not about an input (status other than 422). */
typedef int (*web_form_fn)(rq_t *rq, const verdict *v);
int web_refuse(rq_t *rq, verdict v, web_form_fn form);
/* A text input, read (into *out, *n; NULL when absent) and checked: VERDICT_OK, or why not. */
verdict web_check_text(rq_t *rq, json_t *j, const char *field, long max_chars, int required, const char **out, size_t *n);
/* What the form sent in a field, for showing it again (NULL when absent or not text). */
const char *web_form_text(rq_t *rq, const char *field);

#endif
