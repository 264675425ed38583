/* coach.c (cli): `mend coach` reads a text on standard input and shows what the coach finds,
   with the rules of the text's language (--lang, else English) and its reasons in that language. */
#include "cli.h"
#include "core/coach.h"
#include "core/validate.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_coach(int argc, char **argv) {
  cli_opts_t o = {.specs = {"kind=", "lang=", "json"}};
  int rc = cli_parse("coach", argc, argv, &o);
  if (rc) return rc < 0 ? 0 : rc;
  enum coach_kind kind = COACH_APOLOGY;
  const char *k = cli_opt(&o, "kind");
  if (k && coach_kind_parse(k, strlen(k), &kind) != 0) {
    fprintf(stderr, "mend coach: --kind is apology or message (got \"%s\")\n", k);
    return EXIT_USAGE;
  }
  const char *lc = cli_opt(&o, "lang");
  const i18n_lang *lang = lc ? i18n_find(lc, strlen(lc)) : i18n_english();
  if (!lang) {
    fprintf(stderr, "mend coach: --lang is one of en, de, fr, es (got \"%s\")\n", lc);
    return EXIT_USAGE;
  }
  i18n_use(lang);
  char *text = malloc(COACH_MAX_TEXT + 1);
  if (!text) return 1;
  size_t n = fread(text, 1, COACH_MAX_TEXT + 1, stdin);
  if (n > COACH_MAX_TEXT) {
    fprintf(stderr, "mend coach: the text is longer than 64 KiB; give it a shorter one\n");
    free(text);
    return EXIT_USAGE;
  }
  text[n] = 0;
  size_t blank = 0;
  while (blank < n && (text[blank] == ' ' || text[blank] == '\n' || text[blank] == '\t' || text[blank] == '\r')) blank++;
  if (blank == n) {
    fprintf(stderr, "mend coach: nothing to read; pipe a text in, e.g. echo \"I'm sorry\" | mend coach\n");
    free(text);
    return EXIT_USAGE;
  }
  if (utf8_count(text, n, 1) < 0) {
    fprintf(stderr, "mend coach: the text is not UTF-8 (or holds control characters)\n");
    free(text);
    return EXIT_USAGE;
  }
  coach_result r;
  if (coach_analyze(text, n, kind, i18n_index(lang), &r) != 0) { fprintf(stderr, "mend coach: the analysis failed (rules or memory)\n"); free(text); return 1; }
  sb_t out;
  sb_init(&out, 4096);
  if (cli_opt(&o, "json")) {
    coach_json(&r, text, &out);
    sb_putc(&out, '\n');
  } else {
    if (kind == COACH_APOLOGY) {
      sb_puts(&out, "Parts of an apology:\n");
      for (int i = 0; i < COACH_COMPONENTS; i++)
        sb_html(&out, "  [%r] %r\n", r.components[i] ? "x" : " ", coach_name(i));
    }
    if (r.nfindings) sb_puts(&out, "What may work against it:\n");
    for (int f = 0; f < r.nfindings; f++) {
      coach_finding *x = &r.findings[f];
      sb_html(&out, "  %r at %D-%D: \"", coach_name(x->id), (int64_t)x->start, (int64_t)x->end);
      sb_put(&out, text + x->start, x->end - x->start);
      sb_html(&out, "\"\n    %r\n", coach_why(x->id));
    }
    coach_summary(&r, &out);
    sb_putc(&out, '\n');
  }
  fwrite(out.buf, 1, out.len, stdout);
  sb_free(&out);
  coach_free(&r);
  free(text);
  return 0;
}
