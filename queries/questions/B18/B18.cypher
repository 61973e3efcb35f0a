// fetch: B18 大党委无兼职委员 (queries.questions.B18.question.fetch_b18)
// The PartyOrgs X3 asks about: kind committee or general_branch BASED_IN a Community (大党委),
// kind working_committee BASED_IN a Street (大工委), placed in the first such area (by id).
// returns: rows label 'PartyOrg', id, name, community_id, street_id, district_id (null), reason
//   'no_part_time_member', detail (null): each of those with no post current on as_of whose
//   role is part_time_member or part_time_deputy_secretary or whose part_time is true
// param: as_of (date, e.g. 2026-06-30): posts are current when start <= as_of <= end (empty bounds open)
// fragment: committee_without_part_time_member
RETURN 'PartyOrg' AS label, committee.id AS id, committee.name AS name,
       community.id AS community_id, street.id AS street_id, null AS district_id,
       'no_part_time_member' AS reason, null AS detail
