// place: the community_id, street_id, district_id of `thing` (docs/definitions.md, "where a
// thing is"); included by every file that places things of several labels. A PartyOrg is
// where its first BASED_IN target (by label, then id) is, a Venue where its first LOCATED_IN
// target is; a Building (the only PART_OF source below a compound) where its compound is; an OwnerCommittee where its first compound (by id)
// is; a PropertyCompany where the first compound (by id) it manages under a current contract
// is; a ResidentUnit in its first community (by id); a Person nowhere.
CALL (thing) {
  OPTIONAL MATCH (thing:PartyOrg|Venue)-[:BASED_IN|LOCATED_IN]->(base)
  WITH thing, base ORDER BY labels(base)[0], base.id LIMIT 1
  WITH coalesce(base, thing) AS located
  // one walk over the located thing's links, not one per kind of link
  CALL (located) {
    MATCH (located)-[link:PART_OF|REPRESENTS|MANAGES|REGISTERED_WITH]->(anchor:Compound|Community)
    WHERE CASE
            WHEN link:REGISTERED_WITH THEN anchor:Community AND NOT located:Person
            WHEN link:MANAGES THEN anchor:Compound AND CURRENT(link)
            ELSE anchor:Compound
          END
    RETURN anchor
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
