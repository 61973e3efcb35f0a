// fetch: B9 班子空缺 (queries.blindspots.fetch_b9)
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
      AND (post.start IS NULL OR post.start <= date($as_of))
      AND (post.end IS NULL OR post.end >= date($as_of))
  }
  RETURN thing, 'PartyOrg' AS label, 'no_secretary' AS reason
  UNION ALL
  MATCH (thing:OwnerCommittee)
  WHERE thing.kind = 'owners_committee'
    AND (thing.term_start IS NULL OR thing.term_start <= date($as_of))
    AND (thing.term_end IS NULL OR thing.term_end >= date($as_of))
    AND NOT EXISTS {
      MATCH (:Person)-[post:HOLDS]->(thing)
      WHERE post.role = 'director'
        AND (post.start IS NULL OR post.start <= date($as_of))
        AND (post.end IS NULL OR post.end >= date($as_of))
    }
  RETURN thing, 'OwnerCommittee' AS label, 'no_director' AS reason
}
// place: the community_id, street_id, district_id of `thing` (docs/definitions.md, "where a
// thing is"); the same block in every file that places things of several labels. A PartyOrg is
// where its first BASED_IN target (by label, then id) is; a Building (the only PART_OF source
// below a compound) where its compound is; an OwnerCommittee where its first compound (by id)
// is; a PropertyCompany where the first compound (by id) it manages under a current contract
// is; a ResidentUnit in its first community (by id); a Person nowhere.
CALL (thing) {
  OPTIONAL MATCH (thing:PartyOrg)-[:BASED_IN]->(base)
  WITH thing, base ORDER BY labels(base)[0], base.id LIMIT 1
  WITH coalesce(base, thing) AS located
  CALL (located) {
    MATCH (located)-[:PART_OF]->(anchor:Compound) RETURN anchor
    UNION
    MATCH (located)-[:REPRESENTS]->(anchor:Compound) RETURN anchor
    UNION
    MATCH (located)-[contract:MANAGES]->(anchor:Compound)
    WHERE (contract.start IS NULL OR contract.start <= date($as_of))
      AND (contract.end IS NULL OR contract.end >= date($as_of))
    RETURN anchor
    UNION
    MATCH (located)-[:REGISTERED_WITH]->(anchor:Community) WHERE NOT located:Person RETURN anchor
    UNION
    WITH located AS anchor
    WHERE anchor:Compound OR anchor:Grid OR anchor:Community OR anchor:Street OR anchor:District
    RETURN anchor
  }
  WITH anchor ORDER BY anchor.id
  WITH head(collect(anchor)) AS anchor
  OPTIONAL MATCH (anchor)-[:PART_OF]->(parent:Community)
  WITH anchor, CASE WHEN anchor:Community THEN anchor ELSE parent END AS community
  OPTIONAL MATCH (community)-[:PART_OF]->(street:Street)
  OPTIONAL MATCH (anchor:Street)-[:PART_OF]->(district:District)
  RETURN community.id AS community_id,
         CASE WHEN anchor:Street THEN anchor.id ELSE street.id END AS street_id,
         CASE WHEN anchor:District THEN anchor.id ELSE district.id END AS district_id
}
// place: end
RETURN label, thing.id AS id, thing.name AS name,
       community_id, street_id, district_id, reason, null AS detail
