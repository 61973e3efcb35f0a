// fetch: R2 组建党组织 (queries.questions.R2.question.fetch_r2)
// For each B1 compound (no PartyOrg BASED_IN it, nor in its current owner committee): everyone who LIVES_IN one of its buildings
// (candidate rows, see fragments/candidate_rows.cypher; reason 'no_party_org'). With 3 or more
// party members living there the proposal is 'branch' in the compound, else 'joint_branch' with
// the other compound of its community that has the fewest party members living in it (a tie:
// the first by id; none: org null).
// returns: label, id, name, community_id, street_id, district_id (null), reason, person_id,
//   person_name, phone, party_member, proposal, org_label, org_id, org_name, until, homes, posts,
//   member_of
// param: as_of (date, e.g. 2026-06-30): posts and committee terms are current when start <= as_of <= end (empty bounds open)
MATCH (thing:Compound)
WHERE NOT EXISTS { (:PartyOrg)-[:BASED_IN]->(thing) }
  AND NOT EXISTS {
    MATCH (:PartyOrg)-[:BASED_IN]->(committee:OwnerCommittee)-[:REPRESENTS]->(thing)
    WHERE CURRENT_TERM(committee)
  }
OPTIONAL MATCH (thing)-[:PART_OF]->(community:Community)
OPTIONAL MATCH (community)-[:PART_OF]->(street:Street)
WITH thing, community, street,
     COLLECT {
       MATCH (resident:Person)-[:LIVES_IN]->(:Building)-[:PART_OF]->(thing)
       RETURN DISTINCT resident
     } AS residents
WITH thing, community, street, residents,
     size([resident IN residents WHERE resident.party_member = true]) >= 3 AS enough
WITH thing, community, street, residents,
     CASE WHEN enough THEN 'branch' ELSE 'joint_branch' END AS proposal,
     CASE WHEN enough THEN thing ELSE COLLECT {
       MATCH (other:Compound)-[:PART_OF]->(community)
       WHERE other <> thing
       WITH other, size(COLLECT {
         MATCH (member:Person)-[:LIVES_IN]->(:Building)-[:PART_OF]->(other)
         WHERE member.party_member = true
         RETURN DISTINCT member
       }) AS members
       RETURN other ORDER BY members, other.id LIMIT 1
     }[0] END AS org
WITH thing, community.id AS community_id, street.id AS street_id, null AS district_id, 'no_party_org' AS reason,
     [resident IN residents | {person: resident, proposal: proposal, org: org, until: null}] AS candidates
// fragment: candidate_rows
