/*
 * Facts for the episode tests, written as short macros (one JSON line each), and RECORD, which
 * records a list of them as one batch and fails the test if the store refuses it. Include after
 * cmocka.h and testdb.h.
 */
#ifndef PW_TESTS_EPISODE_FACTS_H
#define PW_TESTS_EPISODE_FACTS_H

#define RECORD(store, ...)                                                              \
 do {                                                                                   \
  static const char *const lines_[] = { __VA_ARGS__ };                                  \
  struct pw_error err_ = { 0 };                                                         \
  enum pw_status rc_ =                                                                  \
      pw_test_record((store), lines_, sizeof(lines_) / sizeof(lines_[0]), NULL, &err_); \
  if (rc_ != PW_OK) {                                                                   \
   print_message("record: %s %s\n", err_.field, err_.msg);                              \
  }                                                                                     \
  assert_int_equal(rc_, PW_OK);                                                         \
 } while (0)

#define FACT(type, id, at) \
 "{\"type\":\"" type "\",\"id\":\"" id "\",\"at\":\"" at "\",\"agency\":\"csc\","

#define PERSON(id, pid)                      \
 FACT("person.registered", id, "2025-01-10") \
 "\"person\":\"" pid "\",\"names\":[{\"given\":\"A\",\"family\":\"B\",\"kind\":\"birth\"}]}"
#define CONCERN(id, at, cid, children) \
 FACT("concern.raised", id, at) "\"concern\":\"" cid "\",\"children\":[" children "]}"
#define DECIDED(id, at, cid, decision, ep)          \
 FACT("referral.decided", id, at)                   \
 "\"concern\":\"" cid "\",\"decision\":\"" decision \
 "\",\"rationale\":\"r\",\"decided_by\":\"tm\",\"episode\":\"" ep "\"}"
#define STRATEGY(id, at, ep, children, s47)            \
 FACT("strategy.held", id, at)                         \
 "\"episode\":\"" ep "\",\"children\":[" children "]," \
 "\"attendees\":[{\"agency\":\"csc\",\"role\":\"sw\"}],\"s47\":" s47 "}"
#define MEETING(id, at, ep, kind) \
 FACT("meeting.held", id, at) "\"episode\":\"" ep "\",\"kind\":\"" kind "\"}"
#define ASSESSED(id, at, child) \
 FACT("assessment.completed", id, at) "\"child\":\"" child "\",\"kind\":\"child_and_family\"}"
#define CLOSED(id, at, child) \
 FACT("case.closed", id, at) "\"child\":\"" child "\",\"rationale\":\"r\",\"decided_by\":\"tm\"}"

#endif
