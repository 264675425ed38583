/* plan.c: the phases read from content/program.txt, the suggestion of what to do next,
   and the fixed lists of the first phase's tools. */
#include "util/i18n.h"
#include "plan.h"
#include "util/embed.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const breach_categories[] = {"dishonesty", "infidelity", "secrecy", "broken_promises",
                                         "emotional_neglect", "disrespect", "other", NULL};
const char *const breach_category_names[] = {N_("Dishonesty"), N_("Infidelity"), N_("Secrecy"), N_("Broken promises"),
                                             N_("Emotional neglect"), N_("Disrespect"), N_("Something else"), NULL};
const char *const breach_breakers[] = {"me", "partner", "both", NULL};
const char *const emotions[] = {"angry", "sad", "hurt", "confused", "afraid", "anxious", "ashamed", "guilty",
                                "lonely", "numb", "jealous", "hopeful", "relieved", "grateful", "calm", "other", NULL};
const char *const emotion_names[] = {N_("Angry"), N_("Sad"), N_("Hurt"), N_("Confused"), N_("Afraid"), N_("Anxious"), N_("Ashamed"), N_("Guilty"),
                                     N_("Lonely"), N_("Numb"), N_("Jealous"), N_("Hopeful"), N_("Relieved"), N_("Grateful"), N_("Calm"),
                                     N_("Something else"), NULL};

const char *const plan_paths[] = {"hurt", "broke_trust", "both", NULL};
const char *const plan_path_names[] = {N_("I was hurt"), N_("I broke trust"), N_("We both did"), NULL};
const char *const plan_path_others[] = {N_("was hurt"), N_("broke trust"), N_("says you both did"), NULL};

int plan_path(const char *word) {
  for (int i = 0; word && plan_paths[i]; i++)
    if (!strcmp(word, plan_paths[i])) return i + 1;
  return PATH_UNSAID;
}

int plan_step_mine(const plan_step *s, int path) {
  return !s->who || path == PATH_UNSAID || path == PATH_BOTH || s->who == path;
}

int plan_step_order(const plan_phase *p, int path, int order[MAX_STEPS]) {
  int n = 0;
  for (int pass = 0; p && pass < 3; pass++)
    for (int k = 0; k < p->nsteps; k++) {
      const plan_step *s = &p->steps[k];
      int own = s->who && s->who == path, everyone = !s->who || path == PATH_UNSAID || path == PATH_BOTH;
      if ((pass == 0 && own) || (pass == 1 && everyone && !own) || (pass == 2 && !own && !everyone)) order[n++] = k;
    }
  return n;
}

const char *const plan_checks[PLAN_CHECKS + 1] = {
  "account", "acknowledged", "feeling", "heard", "asked", "answered", "apology", "delivered",
  "agreement_transparency", "agreement_contact", "agreement_dealbreaker", "agreement_space", "schedule",
  "promise", "confirmed", "truth", "checkin", "closeness", "moment", "thanked", "journal", "value",
  "goal", "forgiveness", "rest", "disclosure", "impact", "hard_date", "timeout_rule", NULL};

static int check_index(const char *name) {
  for (int i = 0; i < PLAN_CHECKS; i++)
    if (!strcmp(plan_checks[i], name)) return i;
  return -1;
}

unsigned plan_steps_taken(const plan_phase *p, uint64_t checks) {
  unsigned taken = 0;
  for (int k = 0; p && k < p->nsteps; k++) {
    int c = p->steps[k].check ? check_index(p->steps[k].check) : -1;
    if (c >= 0 && (checks >> c & 1)) taken |= 1u << k;
  }
  return taken;
}

static plan_phase phases[PHASES];
static char *text;
static int loaded = -1;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void) {
  const struct embed_file *f = embed_find(embed_content, "program.txt", 11);
  if (!f || !(text = malloc(f->len + 1))) return;
  memcpy(text, f->data, f->len + 1);
  int n = 0;
  for (char *line = text, *next; line && *line; line = next) {
    next = strchr(line, '\n');
    if (next) *next++ = 0;
    if (!strncmp(line, "phase ", 6) && n < PHASES) {
      plan_phase *p = &phases[n++];
      char *sp = strchr(line + 6, ' '), *colon = strchr(line, ':');
      if (!sp || !colon) return;
      *sp = 0;
      *colon = 0;
      p->id = line + 6;
      p->name = sp + 1;
      p->summary = colon + 2;
    } else if (!strncmp(line, "step ", 5) && n > 0) {
      plan_phase *p = &phases[n - 1];
      char *colon = strchr(line, ':');
      if (!colon || p->nsteps == MAX_STEPS) return;
      *colon = 0;
      plan_step *s = &p->steps[p->nsteps++];
      s->tool = line + 5;
      s->text = colon + 2;
      /* "step TOOL [CHECK] [@hurt|@broke]: text": a check or a path that is not known is a
         mistake in the file */
      char *at = strstr(s->tool, " @");
      if (at) {
        *at = 0;
        if (!strcmp(at + 2, "hurt")) s->who = PATH_HURT;
        else if (!strcmp(at + 2, "broke")) s->who = PATH_BROKE;
        else return;
      }
      char *sp = strchr(s->tool, ' ');
      if (sp) {
        *sp = 0;
        s->check = sp + 1;
        if (check_index(s->check) < 0) return;
      }
    }
  }
  loaded = n == PHASES ? 0 : -1;
}

int plan_init(void) {
  pthread_once(&once, load);
  return loaded;
}

const plan_phase *plan_phase_at(int n) {
  if (plan_init() != 0 || n < 1 || n > PHASES) return NULL;
  return &phases[n - 1];
}

plan_next plan_suggest(const plan_state *s) {
  if (!s->partner_joined) return (plan_next){N_("Invite your partner: the space is for the two of you."), ""};
  if (s->questions_for_me)
    return (plan_next){N_("Your partner asked a question that waits for your answer. Take your time, and answer truthfully."), "questions"};
  if (s->apologies_for_me)
    return (plan_next){N_("Your partner gave you an apology. When you are ready, tell them whether you feel heard."), "apologies"};
  if (s->feelings_for_me)
    return (plan_next){N_("Your partner shared how they feel. Let them know you hear them."), "feelings"};
  if (s->phase == 1) {
    /* the hurt partner's path begins with what they feel, before any account */
    if (s->path == PATH_HURT && !(s->checks >> PC_FEELING & 1))
      return (plan_next){N_("Start with how you feel, in a word or in many. Anger, sadness, numbness: all of it belongs here."), "feelings"};
    if (!s->my_account) return (plan_next){N_("Write your account of what happened, in your own words."), "breach"};
    if (!s->partner_account) return (plan_next){N_("Your account is written. Your partner's will appear when they have written theirs."), "feelings"};
    if (!s->i_acknowledged) return (plan_next){N_("Both accounts are written. Read them side by side, and acknowledge what happened."), "breach"};
  }
  if (s->i_am_ready && !s->partner_ready)
    return (plan_next){N_("You said you are ready for the next phase. There is no hurry: it moves when your partner is ready too."), "program"};
  if (s->partner_ready && !s->i_am_ready)
    return (plan_next){N_("Your partner feels ready for the next phase. Look at the program and decide in your own time."), "program"};
  /* the phase's first step not taken yet (advice, which nothing marks taken, is not pressed) */
  const plan_phase *p = plan_phase_at(s->phase);
  unsigned taken = plan_steps_taken(p, s->checks);
  int order[MAX_STEPS], n = plan_step_order(p, s->path, order);
  for (int i = 0; i < n; i++) {
    const plan_step *st = &p->steps[order[i]];
    if (st->check && plan_step_mine(st, s->path) && !(taken >> order[i] & 1)) return (plan_next){st->text, st->tool};
  }
  if (p && s->phase < PHASES)
    return (plan_next){N_("You have taken every step of this phase. Keep them up, and move on together when you both feel ready."),
                       "program"};
  return (plan_next){N_("Keep going, one small step at a time."), "program"};
}
