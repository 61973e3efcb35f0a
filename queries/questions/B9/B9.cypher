// fetch: B9 班子空缺 (queries.questions.B9.question.fetch_b9)
// returns: rows label, id, name, community_id, street_id, district_id (the thing's place),
//   reason, detail (null): 'no_secretary' for each PartyOrg except kind group (a 党小组 has a
//   组长, not a 书记) with no post current on as_of with role secretary; 'no_director' for each OwnerCommittee of kind owners_committee, current on
//   as_of, with no current post with role director
// param: as_of (date, e.g. 2026-06-30): posts and terms are current when start <= as_of <= end (empty bounds open)
CALL () {
  MATCH (thing:PartyOrg)
  WHERE thing.kind <> 'group' AND NOT EXISTS {
    MATCH (:Person)-[post:HOLDS]->(thing)
    WHERE post.role = 'secretary'
      AND CURRENT(post)
  }
  RETURN thing, 'PartyOrg' AS label, 'no_secretary' AS reason
  UNION ALL
  MATCH (thing:OwnerCommittee)
  WHERE thing.kind = 'owners_committee'
    AND CURRENT_TERM(thing)
    AND NOT EXISTS {
      MATCH (:Person)-[post:HOLDS]->(thing)
      WHERE post.role = 'director'
        AND CURRENT(post)
    }
  RETURN thing, 'OwnerCommittee' AS label, 'no_director' AS reason
}
// fragment: place
RETURN label, thing.id AS id, thing.name AS name,
       community_id, street_id, district_id, reason, null AS detail
