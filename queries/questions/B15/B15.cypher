// fetch: B15 无中心户党小组 (queries.questions.B15.question.fetch_b15)
// returns: rows label 'PartyOrg', id, name, community_id, street_id, district_id (the
//   organisation's place), reason 'no_central_household', detail (null): each PartyOrg of kind
//   group with no post current on as_of with role central_household held in it or in a place it
//   is BASED_IN (its building)
// param: as_of (date, e.g. 2026-06-30): posts are current when start <= as_of <= end (empty bounds open)
// fragment: group_without_central_household
// fragment: place
RETURN 'PartyOrg' AS label, thing.id AS id, thing.name AS name,
       community_id, street_id, district_id, 'no_central_household' AS reason, null AS detail
