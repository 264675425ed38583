/* agreement_rules.c: the life of an agreement: proposed by one, active once the other signs,
   revised by a new version that replaces it only when signed by both, retired when both ask. */
#include "util/i18n.h"
#include "commitments.h"
#include <string.h>

const char *const ag_status_names[] = {"proposed", "active", "superseded", "retired", NULL};
const char *const ag_categories[] = {"transparency", "third_party_contact", "social_media", "privacy_and_space",
                                     "time_together", "deal_breaker", "other", NULL};
const char *const ag_category_names[] = {N_("Transparency"), N_("Contact with a third person"), N_("Social media"),
                                         N_("Privacy and space"), N_("Time together"), N_("Deal-breaker"), N_("Something else"), NULL};

int ag_status_parse(const char *s) {
  for (int i = 0; ag_status_names[i]; i++) if (!strcmp(ag_status_names[i], s)) return i;
  return -1;
}

static const verdict ok = {0, NULL, NULL, NULL};

verdict ag_can_sign(enum ag_status st, int64_t proposed_by, int64_t me, int already_signed) {
  if (st != AG_PROPOSED) return (verdict){409, "not_proposed", N_("Only a proposal waits for a signature; this one is settled."), NULL};
  if (proposed_by == me) return (verdict){403, "not_your_turn", N_("You proposed this; it becomes active when your partner signs it."), NULL};
  if (already_signed) return (verdict){409, "signed", N_("You have signed this already."), NULL};
  return ok;
}

verdict ag_can_revise(enum ag_status st, int pending_revision) {
  if (st != AG_ACTIVE) return (verdict){409, "not_active", N_("Only an active agreement can be revised; this version is not the one in force."), NULL};
  if (pending_revision) return (verdict){409, "revision_pending", N_("A revision of this agreement already waits for a signature."), NULL};
  return ok;
}

verdict ag_can_retire(enum ag_status st, int64_t asked_by, int64_t me, int *retire) {
  *retire = 0;
  if (st != AG_ACTIVE) return (verdict){409, "not_active", N_("Only an active agreement can be retired."), NULL};
  if (asked_by == me) return (verdict){409, "asked", N_("You asked to retire this; it is retired when your partner agrees."), NULL};
  *retire = asked_by != 0;
  return ok;
}
