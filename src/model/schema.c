/*
 * The fact types of shared/design/facts.md, as data. Each type is a table of fields with their
 * kinds; walk.c is the only code that reads these tables. To add a type, add its table and one
 * line to `types`; to add an optional field, add one line to its table. Names are a public
 * interface: never rename or remove one.
 *
 * Required fields are the ones without which the fact says nothing a practitioner could act
 * on (who, which concern or episode, what kind of thing happened). Everything else is optional,
 * so a partial record can always be made and completed later by a superseding fact.
 *
 * Where facts.md leaves a shape open, this file decides it, and says so beside the table.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "model/model_int.h"

/* The recording agencies of facts.md; also the `agency` of attendees and owners. */
const char *const pw__agencies[] = {
    "csc", "police",  "health",     "probation", "education",
    "yjs", "cafcass", "early_help", "other",     NULL,
};

/* ---- Enumerations ---- */

static const char *const sensitivities[] = {
    "standard",
    "police_intelligence",
    "health_confidential",
    NULL,
};
static const char *const name_kinds[] = { "birth", "known_as", "alias", NULL };
/* Sex as recorded (NHS phenotypic sex, DfE CIN census): gender is separate, free text. */
static const char *const sexes[] = { "female", "male", "indeterminate", "unknown", NULL };
static const char *const communications[] = {
    "verbal", "limited_verbal", "non_verbal", "pre_verbal", NULL,
};
static const char *const link_methods[] = { "record_linkage", "practitioner", NULL };
static const char *const relationship_kinds[] = {
    "parent",     "step_parent",      "parent_partner",  "foster_carer",
    "sibling",    "half_sibling",     "step_sibling",    "grandparent",
    "aunt_uncle", "cousin",           "other_relative",  "family_friend",
    "babysitter", "household_member", "regular_contact", NULL,
};
static const char *const risk_kinds[] = {
    "conviction",   "caution",    "charge",      "allegation",
    "intelligence", "registered", "civil_order", NULL,
};
static const char *const risk_against[] = { "child", "adult", "unknown", NULL };
static const char *const risk_orders[] = {
    "shpo", "sro", "cawn", "fmpo", "non_molestation", "restraining", NULL,
};
static const char *const disclosure_schemes[] = { "proactive", "on_request", NULL };
static const char *const disclosure_kinds[] = {
    "verbal", "partial", "behavioural", "none", NULL,
};
static const char *const view_methods[] = {
    "spoken", "written", "signs_symbols", "play", "observation", "advocate", "intermediary", NULL,
};
static const char *const referral_decisions[] = {
    "strategy_discussion", "assessment", "early_help", "no_further_action", "already_open", NULL,
};
static const char *const child_decisions[] = { "assess", "no_action", NULL };
static const char *const allocation_roles[] = {
    "allocated_worker", "team_manager",          "lead_practitioner",
    "offender_manager", "investigating_officer", NULL,
};
static const char *const medical_decisions[] = { "arranged", "not_needed", NULL };
static const char *const investigation_events[] = {
    "opened",
    "arrested",
    "voluntary_attendance",
    "interviewed",
    "bail_set",
    "bail_extended",
    "bail_ended",
    "released_under_investigation",
    "abe_interview",
    "digital_forensics_requested",
    "digital_forensics_completed",
    "family_updated",
    "charged",
    "closed",
    NULL,
};
static const char *const investigation_outcomes[] = {
    "charged",
    "no_further_police_action_at_this_time",
    "out_of_court",
    NULL,
};
static const char *const enquiry_outcomes[] = {
    "concerns_substantiated",
    "not_substantiated",
    "unclear",
    NULL,
};
static const char *const enquiry_next[] = { "icpc", "cin_plan", "early_help", "close", NULL };
static const char *const meeting_kinds[] = {
    "multi_agency_discussion",
    "icpc",
    "review_conference",
    "core_group",
    "cin_review",
    "mappa",
    "marac",
    NULL,
};
static const char *const assessment_kinds[] = {
    "child_and_family",
    "sexual_risk_specialist",
    "capacity_to_protect",
    "hsb",
    "pre_release",
    "court_safety",
    NULL,
};
static const char *const plan_kinds[] = {
    "child_protection", "child_in_need", "early_help", "looked_after", "safety", NULL,
};
static const char *const plan_categories[] = { "sexual", "neglect", "emotional", "physical", NULL };
static const char *const support_kinds[] = {
    "therapeutic", "isva", "camhs", "parent_support", "advocacy", "intermediary", NULL,
};
static const char *const court_kinds[] = {
    "child_arrangements", "family_time", "care", "supervision", NULL,
};

/* ---- Array elements used by several types ---- */

static const struct pw__field person_elem = { .name = "", .kind = PW__K_PERSON_REF };
static const struct pw__field agency_elem = { .name = "", .kind = PW__K_AGENCY };
/* One short line each (disability, re-referral triggers). */
static const struct pw__field line_elem = { .name = "", .kind = PW__K_STRING, .max = 1000 };

/* ---- Objects used by several types ---- */

/*
 * An address: at least one of line1, postcode or uprn, which is what household matching needs.
 * uprn is a string of 1 to 12 digits (the Unique Property Reference Number) so that leading
 * zeros and JavaScript's number range are never an issue.
 */
static const struct pw__field address_fields[] = {
    { .name = "line1", .kind = PW__K_STRING },
    { .name = "town", .kind = PW__K_STRING },
    { .name = "postcode",
      .kind = PW__K_STRING,
      .format = pw__postcode_valid,
      .format_what = "a postcode (2 to 10 letters, digits and spaces)" },
    { .name = "uprn",
      .kind = PW__K_STRING,
      .format = pw__uprn_valid,
      .format_what = "a uprn (1 to 12 digits, as a string)" },
    { .name = NULL },
};
static const char *const address_any[] = { "line1", "postcode", "uprn", NULL };
static const struct pw__shape address_shape = { address_fields, address_any, NULL };

/*
 * Who was at a meeting or strategy discussion: the agency always (rule R06 counts agencies),
 * role and name as free short text, the user id when they have one, and csa_expertise for the
 * health representative with clinical experience of child sexual abuse (national review rec. 6).
 */
static const struct pw__field attendee_fields[] = {
    { .name = "agency", .kind = PW__K_AGENCY, .required = true },
    { .name = "role", .kind = PW__K_STRING },
    { .name = "name", .kind = PW__K_STRING },
    { .name = "user", .kind = PW__K_USER },
    { .name = "csa_expertise", .kind = PW__K_BOOL },
    { .name = NULL },
};
static const struct pw__shape attendee_shape = { attendee_fields, NULL, NULL };
static const struct pw__field attendee_elem = { .name = "",
                                                .kind = PW__K_OBJECT,
                                                .shape = &attendee_shape };

/*
 * A sexual-abuse risk named on a plan or at closure (rule R15): the risk is required; the
 * mitigation is optional here so that rule R15, not the parser, tells the practitioner it is
 * missing, in its own words.
 */
static const struct pw__field csa_risk_fields[] = {
    { .name = "risk", .kind = PW__K_STRING, .required = true, .max = 1000 },
    { .name = "mitigation", .kind = PW__K_STRING, .max = 1000 },
    { .name = NULL },
};
static const struct pw__shape csa_risk_shape = { csa_risk_fields, NULL, NULL };
static const struct pw__field csa_risk_elem = { .name = "",
                                                .kind = PW__K_OBJECT,
                                                .shape = &csa_risk_shape };

/* ---- The envelope ---- */

/*
 * Every fact. `by` is required, but pw_fact_parse sets it from opts->as_user before the walk.
 * allocation.changed's `agency` in facts.md is this field: the agency of the allocation is the
 * agency recording it.
 */
static const struct pw__field envelope_fields[] = {
    { .name = "type", .kind = PW__K_TYPE, .required = true },
    { .name = "id", .kind = PW__K_ID, .required = true },
    { .name = "at", .kind = PW__K_WHEN, .required = true },
    { .name = "agency", .kind = PW__K_AGENCY, .required = true },
    { .name = "by", .kind = PW__K_USER, .required = true },
    { .name = "supersedes", .kind = PW__K_ID },
    { .name = "sensitivity", .kind = PW__K_ENUM, .values = sensitivities },
    { .name = NULL },
};
const struct pw__shape pw__envelope = { envelope_fields, NULL, NULL };

/* ---- People and their connections ---- */

/* A name: given, family or both; kind says whether it is the birth name or another. */
static const struct pw__field name_fields[] = {
    { .name = "given", .kind = PW__K_STRING },
    { .name = "family", .kind = PW__K_STRING },
    { .name = "kind", .kind = PW__K_ENUM, .values = name_kinds },
    { .name = NULL },
};
static const char *const name_any[] = { "given", "family", NULL };
static const struct pw__shape name_shape = { name_fields, name_any, NULL };
static const struct pw__field name_elem = { .name = "",
                                            .kind = PW__K_OBJECT,
                                            .shape = &name_shape };

/*
 * Where an imported record came from: its id in the agency's own system, and the file and line
 * it was read from (pathway import), so a linked person can always be traced to the row.
 */
static const struct pw__field source_fields[] = {
    { .name = "record", .kind = PW__K_STRING, .required = true },
    { .name = "file", .kind = PW__K_STRING },
    { .name = "line", .kind = PW__K_INT, .min = 1, .max = INT32_MAX },
    { .name = NULL },
};
static const struct pw__shape source_shape = { source_fields, NULL, NULL };

/*
 * identifiers: an object of scheme to value, e.g. {"nhs": "9434765919", "pnc": "...", "upn":
 * "..."}; schemes are [a-z][a-z0-9_]{0,31}, values non-empty short strings, and an nhs value
 * must be 10 digits with a valid check digit.
 */
static const struct pw__field person_registered[] = {
    { .name = "person", .kind = PW__K_PERSON_DEF, .required = true },
    { .name = "names",
      .kind = PW__K_ARRAY,
      .required = true,
      .elem = &name_elem,
      .min = 1,
      .max = 20 },
    { .name = "dob", .kind = PW__K_DOB },
    { .name = "sex", .kind = PW__K_ENUM, .values = sexes },
    { .name = "gender", .kind = PW__K_STRING },
    { .name = "ethnicity", .kind = PW__K_STRING },
    { .name = "language", .kind = PW__K_STRING },
    { .name = "interpreter_needed", .kind = PW__K_BOOL },
    { .name = "disability", .kind = PW__K_ARRAY, .elem = &line_elem, .unique = true, .max = 20 },
    { .name = "communication", .kind = PW__K_ENUM, .values = communications },
    { .name = "identifiers", .kind = PW__K_IDMAP },
    { .name = "source", .kind = PW__K_OBJECT, .shape = &source_shape },
    { .name = NULL },
};

/*
 * confidence is the linkage score from 0 to 1 (the match probability), weight the match weight
 * it came from (log2 of the odds, so it can be negative); method says who decided, reason why
 * (a practitioner's review).
 */
static const struct pw__field person_linked[] = {
    { .name = "person", .kind = PW__K_PERSON_REF, .required = true },
    { .name = "same_as", .kind = PW__K_PERSON_REF, .required = true },
    { .name = "confidence", .kind = PW__K_REAL, .lo = 0.0, .hi = 1.0 },
    { .name = "weight", .kind = PW__K_REAL, .lo = -1000.0, .hi = 1000.0 },
    { .name = "method", .kind = PW__K_ENUM, .values = link_methods },
    { .name = "reason", .kind = PW__K_TEXT },
    { .name = NULL },
};

/* Two records that are not the same person: a review's rejection, never to be linked again. */
static const struct pw__field person_distinct[] = {
    { .name = "person", .kind = PW__K_PERSON_REF, .required = true },
    { .name = "other", .kind = PW__K_PERSON_REF, .required = true },
    { .name = "confidence", .kind = PW__K_REAL, .lo = 0.0, .hi = 1.0 },
    { .name = "weight", .kind = PW__K_REAL, .lo = -1000.0, .hi = 1000.0 },
    { .name = "method", .kind = PW__K_ENUM, .values = link_methods },
    { .name = "reason", .kind = PW__K_TEXT },
    { .name = NULL },
};

static const struct pw__field relationship_recorded[] = {
    { .name = "from", .kind = PW__K_PERSON_REF, .required = true },
    { .name = "to", .kind = PW__K_PERSON_REF, .required = true },
    { .name = "kind", .kind = PW__K_ENUM, .required = true, .values = relationship_kinds },
    { .name = "since", .kind = PW__K_DATE },
    { .name = "until", .kind = PW__K_DATE },
    { .name = NULL },
};

static const struct pw__field residence_recorded[] = {
    { .name = "person", .kind = PW__K_PERSON_REF, .required = true },
    { .name = "address", .kind = PW__K_OBJECT, .required = true, .shape = &address_shape },
    { .name = "since", .kind = PW__K_DATE },
    { .name = "until", .kind = PW__K_DATE },
    { .name = NULL },
};

/* setting: the name of the school, nursery or college, as short text. */
static const struct pw__field school_recorded[] = {
    { .name = "child", .kind = PW__K_PERSON_REF, .required = true },
    { .name = "setting", .kind = PW__K_STRING, .required = true },
    { .name = "since", .kind = PW__K_DATE },
    { .name = "until", .kind = PW__K_DATE },
    { .name = NULL },
};

/* ---- Risk of sexual harm ---- */

/* mappa: {category 1-3 (required), level 1-3}. */
static const struct pw__field mappa_fields[] = {
    { .name = "category", .kind = PW__K_INT, .required = true, .min = 1, .max = 3 },
    { .name = "level", .kind = PW__K_INT, .min = 1, .max = 3 },
    { .name = NULL },
};
static const struct pw__shape mappa_shape = { mappa_fields, NULL, NULL };

/* sexual is required: rule R01 must never have to guess whether a history is sexual harm. */
static const struct pw__field risk_recorded[] = {
    { .name = "person", .kind = PW__K_PERSON_REF, .required = true },
    { .name = "kind", .kind = PW__K_ENUM, .required = true, .values = risk_kinds },
    { .name = "sexual", .kind = PW__K_BOOL, .required = true },
    { .name = "against", .kind = PW__K_ENUM, .values = risk_against },
    { .name = "date", .kind = PW__K_DATE },
    { .name = "spent", .kind = PW__K_BOOL },
    { .name = "order", .kind = PW__K_ENUM, .values = risk_orders },
    { .name = "conditions", .kind = PW__K_TEXT },
    { .name = "until", .kind = PW__K_DATE },
    { .name = "mappa", .kind = PW__K_OBJECT, .shape = &mappa_shape },
    { .name = "managed_by", .kind = PW__K_AGENCY },
    { .name = "summary", .kind = PW__K_TEXT },
    { .name = NULL },
};

/* date is the planned release date (it is in the future); address is where they will live. */
static const struct pw__field custody_release_planned[] = {
    { .name = "person", .kind = PW__K_PERSON_REF, .required = true },
    { .name = "date", .kind = PW__K_DATE, .required = true },
    { .name = "address", .kind = PW__K_OBJECT, .shape = &address_shape },
    { .name = NULL },
};

/* The child sex offender disclosure scheme: kind, the subject, the person told. */
static const struct pw__field disclosure_made[] = {
    { .name = "kind", .kind = PW__K_ENUM, .required = true, .values = disclosure_schemes },
    { .name = "person", .kind = PW__K_PERSON_REF, .required = true },
    { .name = "to", .kind = PW__K_PERSON_REF, .required = true },
    { .name = "date", .kind = PW__K_DATE },
    { .name = NULL },
};

/* ---- Concerns and what is seen ---- */

/* An indicator: a code of the shipped taxonomy (data/indicators.json), when, and a note. */
static const struct pw__field indicator_fields[] = {
    { .name = "code",
      .kind = PW__K_STRING,
      .required = true,
      .format = pw__indicator_known,
      .format_what = "an indicator code of the taxonomy (pathway indicators lists them)" },
    { .name = "observed_at", .kind = PW__K_WHEN },
    { .name = "note", .kind = PW__K_TEXT },
    { .name = NULL },
};
static const struct pw__shape indicator_shape = { indicator_fields, NULL, NULL };
static const struct pw__field indicator_elem = { .name = "",
                                                 .kind = PW__K_OBJECT,
                                                 .shape = &indicator_shape };

/* disclosure.to is a description of who was told ("class teacher"), not a person id. */
static const struct pw__field disclosure_fields[] = {
    { .name = "kind", .kind = PW__K_ENUM, .required = true, .values = disclosure_kinds },
    { .name = "to", .kind = PW__K_STRING },
    { .name = NULL },
};
static const struct pw__shape disclosure_shape = { disclosure_fields, NULL, NULL };

/* source: who raised it, as short text ("school nurse", "anonymous neighbour"). */
static const struct pw__field concern_raised[] = {
    { .name = "concern", .kind = PW__K_CONCERN_DEF, .required = true },
    { .name = "children",
      .kind = PW__K_ARRAY,
      .required = true,
      .elem = &person_elem,
      .unique = true,
      .min = 1,
      .max = 50 },
    { .name = "alleged", .kind = PW__K_ARRAY, .elem = &person_elem, .unique = true, .max = 50 },
    { .name = "indicators", .kind = PW__K_ARRAY, .elem = &indicator_elem },
    { .name = "disclosure", .kind = PW__K_OBJECT, .shape = &disclosure_shape },
    { .name = "narrative", .kind = PW__K_TEXT },
    { .name = "source", .kind = PW__K_STRING },
    { .name = NULL },
};

static const struct pw__field indicator_observed[] = {
    { .name = "child", .kind = PW__K_PERSON_REF, .required = true },
    { .name = "code",
      .kind = PW__K_STRING,
      .required = true,
      .format = pw__indicator_known,
      .format_what = "an indicator code of the taxonomy (pathway indicators lists them)" },
    { .name = "observed_at", .kind = PW__K_WHEN },
    { .name = "note", .kind = PW__K_TEXT },
    { .name = "concern", .kind = PW__K_CONCERN_REF },
    { .name = NULL },
};

/* concern is optional: a retraction must be recordable even before a concern is. */
static const struct pw__field disclosure_retracted[] = {
    { .name = "child", .kind = PW__K_PERSON_REF, .required = true },
    { .name = "concern", .kind = PW__K_CONCERN_REF },
    { .name = "note", .kind = PW__K_TEXT },
    { .name = NULL },
};

static const struct pw__field child_view_recorded[] = {
    { .name = "child", .kind = PW__K_PERSON_REF, .required = true },
    { .name = "method", .kind = PW__K_ENUM, .required = true, .values = view_methods },
    { .name = "text", .kind = PW__K_TEXT },
    { .name = NULL },
};

/* ---- The pathway ---- */

/* decided_by is the user id of the decision-maker (rule R14). */
static const struct pw__field referral_decided[] = {
    { .name = "concern", .kind = PW__K_CONCERN_REF, .required = true },
    { .name = "decision", .kind = PW__K_ENUM, .required = true, .values = referral_decisions },
    { .name = "rationale", .kind = PW__K_TEXT },
    { .name = "decided_by", .kind = PW__K_USER },
    { .name = "episode", .kind = PW__K_EPISODE_DEF },
    { .name = NULL },
};

/*
 * A decision about a child connected to an alleged perpetrator (rule R02): added to facts.md's
 * types, which had no fact for it. about: the person the concern names; concern: the concern
 * that named them; decision: assess, or no action with a rationale (rule R04 reads it).
 */
static const struct pw__field child_decision_recorded[] = {
    { .name = "child", .kind = PW__K_PERSON_REF, .required = true },
    { .name = "about", .kind = PW__K_PERSON_REF },
    { .name = "concern", .kind = PW__K_CONCERN_REF },
    { .name = "decision", .kind = PW__K_ENUM, .required = true, .values = child_decisions },
    { .name = "rationale", .kind = PW__K_TEXT },
    { .name = "decided_by", .kind = PW__K_USER },
    { .name = NULL },
};

/* The allocation's agency is the envelope's `agency`. */
static const struct pw__field allocation_changed[] = {
    { .name = "child", .kind = PW__K_PERSON_REF, .required = true },
    { .name = "user", .kind = PW__K_USER, .required = true },
    { .name = "role", .kind = PW__K_ENUM, .required = true, .values = allocation_roles },
    { .name = "since", .kind = PW__K_DATE },
    { .name = "until", .kind = PW__K_DATE },
    { .name = NULL },
};

/* medical: {decision (required), reason}; rule R07 decides whether a reason must be given. */
static const struct pw__field medical_fields[] = {
    { .name = "decision", .kind = PW__K_ENUM, .required = true, .values = medical_decisions },
    { .name = "reason", .kind = PW__K_TEXT },
    { .name = NULL },
};
static const struct pw__shape medical_shape = { medical_fields, NULL, NULL };

/* An action agreed: what (short text, required), which agency owns it, and when it is due. */
static const struct pw__field action_fields[] = {
    { .name = "action", .kind = PW__K_STRING, .required = true, .max = 1000 },
    { .name = "owner", .kind = PW__K_AGENCY },
    { .name = "due", .kind = PW__K_DATE },
    { .name = NULL },
};
static const struct pw__shape action_shape = { action_fields, NULL, NULL };
static const struct pw__field action_elem = { .name = "",
                                              .kind = PW__K_OBJECT,
                                              .shape = &action_shape };

static const struct pw__field strategy_held[] = {
    { .name = "episode", .kind = PW__K_EPISODE_DEF, .required = true },
    { .name = "children",
      .kind = PW__K_ARRAY,
      .required = true,
      .elem = &person_elem,
      .unique = true,
      .min = 1,
      .max = 50 },
    { .name = "attendees",
      .kind = PW__K_ARRAY,
      .required = true,
      .elem = &attendee_elem,
      .min = 1,
      .max = 50 },
    { .name = "s47", .kind = PW__K_BOOL },
    { .name = "joint_enquiry", .kind = PW__K_BOOL },
    { .name = "police_investigation", .kind = PW__K_BOOL },
    { .name = "medical", .kind = PW__K_OBJECT, .shape = &medical_shape },
    { .name = "actions", .kind = PW__K_ARRAY, .elem = &action_elem, .max = 100 },
    /* As meeting.held: whom the minutes went to and when (rule R24). */
    { .name = "minutes_shared_with",
      .kind = PW__K_ARRAY,
      .elem = &agency_elem,
      .unique = true,
      .max = 20 },
    { .name = "shared_at", .kind = PW__K_WHEN },
    { .name = NULL },
};

/*
 * until and conditions belong to bail_set and bail_extended; outcome to closed. checks.c
 * holds those rules and which events need a suspect.
 */
static const struct pw__field investigation_updated[] = {
    { .name = "episode", .kind = PW__K_EPISODE_REF, .required = true },
    { .name = "event", .kind = PW__K_ENUM, .required = true, .values = investigation_events },
    { .name = "suspect", .kind = PW__K_PERSON_REF },
    { .name = "until", .kind = PW__K_DATE },
    { .name = "conditions", .kind = PW__K_TEXT },
    { .name = "outcome", .kind = PW__K_ENUM, .values = investigation_outcomes },
    { .name = "note", .kind = PW__K_TEXT }, /* what the officer would tell the next reader */
    { .name = NULL },
};

static const struct pw__field enquiry_concluded[] = {
    { .name = "episode", .kind = PW__K_EPISODE_REF, .required = true },
    { .name = "child", .kind = PW__K_PERSON_REF, .required = true },
    { .name = "outcome", .kind = PW__K_ENUM, .required = true, .values = enquiry_outcomes },
    { .name = "next", .kind = PW__K_ENUM, .values = enquiry_next },
    { .name = NULL },
};

/*
 * episode is optional: MAPPA and MARAC meetings are about adults and need not belong to a
 * child's episode. attendees as for strategy.held; outcome is free text; shared_at is when
 * the minutes went out to minutes_shared_with (rule R24).
 */
static const struct pw__field meeting_held[] = {
    { .name = "episode", .kind = PW__K_EPISODE_REF },
    { .name = "kind", .kind = PW__K_ENUM, .required = true, .values = meeting_kinds },
    { .name = "attendees", .kind = PW__K_ARRAY, .elem = &attendee_elem, .max = 100 },
    { .name = "outcome", .kind = PW__K_TEXT },
    { .name = "minutes_shared_with",
      .kind = PW__K_ARRAY,
      .elem = &agency_elem,
      .unique = true,
      .max = 20 },
    { .name = "shared_at", .kind = PW__K_WHEN },
    { .name = NULL },
};

/* Exactly one of child (an assessment of a child) or person (of an adult). */
static const struct pw__field assessment_completed[] = {
    { .name = "child", .kind = PW__K_PERSON_REF },
    { .name = "person", .kind = PW__K_PERSON_REF },
    { .name = "kind", .kind = PW__K_ENUM, .required = true, .values = assessment_kinds },
    { .name = "outcome", .kind = PW__K_TEXT },
    { .name = "analysis", .kind = PW__K_TEXT },
    { .name = NULL },
};
static const char *const assessment_one[] = { "child", "person", NULL };

/* re_referral_triggers: short lines of text; csa_risks: [{risk, mitigation}]. */
static const struct pw__field category_elem = { .name = "",
                                                .kind = PW__K_ENUM,
                                                .values = plan_categories };
static const struct pw__field plan_made[] = {
    { .name = "child", .kind = PW__K_PERSON_REF, .required = true },
    { .name = "kind", .kind = PW__K_ENUM, .required = true, .values = plan_kinds },
    { .name = "categories", .kind = PW__K_ARRAY, .elem = &category_elem, .unique = true, .max = 4 },
    { .name = "csa_risks", .kind = PW__K_ARRAY, .elem = &csa_risk_elem, .max = 50 },
    { .name = "re_referral_triggers", .kind = PW__K_ARRAY, .elem = &line_elem, .max = 50 },
    { .name = "relies_on_parent", .kind = PW__K_PERSON_REF },
    { .name = NULL },
};

/* A written agreement: the child, the parent it relies on, the person posing risk, terms. */
static const struct pw__field agreement_recorded[] = {
    { .name = "child", .kind = PW__K_PERSON_REF, .required = true },
    { .name = "parent", .kind = PW__K_PERSON_REF, .required = true },
    { .name = "about", .kind = PW__K_PERSON_REF },
    { .name = "terms", .kind = PW__K_TEXT },
    { .name = NULL },
};

/* deferred_reason: why support that was offered has not begun (rule R21). */
static const struct pw__field support_started[] = {
    { .name = "person", .kind = PW__K_PERSON_REF, .required = true },
    { .name = "kind", .kind = PW__K_ENUM, .required = true, .values = support_kinds },
    { .name = "provider", .kind = PW__K_STRING },
    { .name = "deferred_reason", .kind = PW__K_TEXT },
    { .name = NULL },
};

/* point_of_contact: who the child and family can go back to, as short text (rule R23). */
static const struct pw__field support_ended[] = {
    { .name = "person", .kind = PW__K_PERSON_REF, .required = true },
    { .name = "kind", .kind = PW__K_ENUM, .required = true, .values = support_kinds },
    { .name = "provider", .kind = PW__K_STRING },
    { .name = "point_of_contact", .kind = PW__K_STRING, .max = 500 },
    { .name = NULL },
};

static const struct pw__field court_application[] = {
    { .name = "children",
      .kind = PW__K_ARRAY,
      .required = true,
      .elem = &person_elem,
      .unique = true,
      .min = 1,
      .max = 50 },
    { .name = "kind", .kind = PW__K_ENUM, .required = true, .values = court_kinds },
    { .name = "adults", .kind = PW__K_ARRAY, .elem = &person_elem, .unique = true, .max = 50 },
    { .name = NULL },
};

static const struct pw__field case_closed[] = {
    { .name = "child", .kind = PW__K_PERSON_REF, .required = true },
    { .name = "rationale", .kind = PW__K_TEXT },
    { .name = "decided_by", .kind = PW__K_USER },
    { .name = "csa_risks", .kind = PW__K_ARRAY, .elem = &csa_risk_elem, .max = 50 },
    { .name = "re_referral_triggers", .kind = PW__K_ARRAY, .elem = &line_elem, .max = 50 },
    { .name = NULL },
};

/*
 * A restricted fact (police_intelligence, health_confidential) shared by its own agency with
 * other agencies for an episode (docs/access.md): they may then read it in full. A share
 * recorded by any other agency than the fact's counts for nothing (the access policy checks).
 */
static const struct pw__field information_shared[] = {
    { .name = "fact", .kind = PW__K_ID, .required = true },
    { .name = "episode", .kind = PW__K_EPISODE_REF, .required = true },
    { .name = "with",
      .kind = PW__K_ARRAY,
      .required = true,
      .elem = &agency_elem,
      .unique = true,
      .min = 1,
      .max = 9 },
    { .name = "reason", .kind = PW__K_TEXT },
    { .name = NULL },
};

/* ---- The types, in the order of facts.md ---- */

const struct pw__type pw__types[] = {
    { "person.registered", { person_registered, NULL, NULL }, pw__check_person_registered },
    { "person.linked", { person_linked, NULL, NULL }, pw__check_person_linked },
    { "person.distinct", { person_distinct, NULL, NULL }, pw__check_person_distinct },
    { "relationship.recorded", { relationship_recorded, NULL, NULL }, pw__check_relationship },
    { "residence.recorded", { residence_recorded, NULL, NULL }, NULL },
    { "school.recorded", { school_recorded, NULL, NULL }, NULL },
    { "risk.recorded", { risk_recorded, NULL, NULL }, NULL },
    { "custody.release_planned", { custody_release_planned, NULL, NULL }, NULL },
    { "disclosure.made", { disclosure_made, NULL, NULL }, pw__check_disclosure_made },
    { "concern.raised", { concern_raised, NULL, NULL }, NULL },
    { "indicator.observed", { indicator_observed, NULL, NULL }, NULL },
    { "disclosure.retracted", { disclosure_retracted, NULL, NULL }, NULL },
    { "child.view_recorded", { child_view_recorded, NULL, NULL }, NULL },
    { "referral.decided", { referral_decided, NULL, NULL }, NULL },
    { "child.decision_recorded", { child_decision_recorded, NULL, NULL }, NULL },
    { "allocation.changed", { allocation_changed, NULL, NULL }, NULL },
    { "strategy.held", { strategy_held, NULL, NULL }, NULL },
    { "investigation.updated", { investigation_updated, NULL, NULL }, pw__check_investigation },
    { "enquiry.concluded", { enquiry_concluded, NULL, NULL }, NULL },
    { "meeting.held", { meeting_held, NULL, NULL }, NULL },
    { "assessment.completed", { assessment_completed, NULL, assessment_one }, NULL },
    { "plan.made", { plan_made, NULL, NULL }, NULL },
    { "agreement.recorded", { agreement_recorded, NULL, NULL }, NULL },
    { "support.started", { support_started, NULL, NULL }, NULL },
    { "support.ended", { support_ended, NULL, NULL }, NULL },
    { "court.application", { court_application, NULL, NULL }, NULL },
    { "case.closed", { case_closed, NULL, NULL }, NULL },
    { "information.shared", { information_shared, NULL, NULL }, NULL },
};
const size_t pw__type_count = sizeof(pw__types) / sizeof(pw__types[0]);

const struct pw__type *
pw__type_find(const char *name)
{
    for (size_t i = 0; i < pw__type_count; i++) {
        if (strcmp(pw__types[i].name, name) == 0) {
            return &pw__types[i];
        }
    }
    return NULL;
}
