// party_member_place: for a party member `person`, `in_group` (a MEMBER_OF a PartyOrg) and the
// `thing` that places it (queries.coverage.party_member_rows): the first PartyOrg it is a
// MEMBER_OF (by id), else the first Building it LIVES_IN, else the first Community it is
// REGISTERED_WITH; null when none.
CALL (person) {
  OPTIONAL MATCH (person)-[:MEMBER_OF]->(org:PartyOrg)
  WITH org ORDER BY org.id LIMIT 1
  OPTIONAL MATCH (person)-[:LIVES_IN]->(home:Building)
  WITH org, home ORDER BY home.id LIMIT 1
  OPTIONAL MATCH (person)-[:REGISTERED_WITH]->(registered:Community)
  WITH org, home, registered ORDER BY registered.id LIMIT 1
  RETURN org IS NOT NULL AS in_group, coalesce(org, home, registered) AS thing
}
// party_member_place: end
