// fetch: B8 组织体系断链 (queries.blindspots.fetch_b8)
// returns: rows label 'PartyOrg', id, name, community_id, street_id, district_id (the
//   organisation's place), reason, detail; per organisation in this order:
//   'cycle': it lies on an UNDER cycle;
//   'impossible_parent': one row per UNDER parent whose kind is not allowed for its own kind
//     (schema.PartyOrgKind.allowed_parents, written out below), detail '<parent id>:<parent kind>';
//   'no_path_to_street': not on a cycle, and no UNDER chain (of length 0 or more) reaches a
//     street-level organisation (kind working_committee, or BASED_IN a Street).
// param: as_of (date, e.g. 2026-06-30): places an organisation based in a property company (via its current contracts)
MATCH (thing:PartyOrg)
WITH thing,
     EXISTS { (thing)-[:UNDER*]->(thing) } AS on_cycle,
     EXISTS {
       MATCH (thing)-[:UNDER*0..]->(top:PartyOrg)
       WHERE top.kind = 'working_committee' OR EXISTS { (top)-[:BASED_IN]->(:Street) }
     } AS reaches_street,
     [(thing)-[:UNDER]->(parent:PartyOrg)
      WHERE NOT parent.kind IN {
        working_committee: [],
        committee: ['working_committee', 'committee'],
        general_branch: ['working_committee', 'committee'],
        branch: ['working_committee', 'committee', 'general_branch'],
        joint_branch: ['working_committee', 'committee', 'general_branch'],
        group: ['general_branch', 'branch', 'joint_branch']
      }[thing.kind]
      | {reason: 'impossible_parent', detail: parent.id + ':' + parent.kind}] AS impossible
WITH thing,
     CASE WHEN on_cycle THEN [{reason: 'cycle', detail: null}] ELSE [] END
     + impossible
     + CASE WHEN on_cycle OR reaches_street THEN [] ELSE [{reason: 'no_path_to_street', detail: null}] END
     AS spots
WHERE size(spots) > 0
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
UNWIND spots AS spot
RETURN 'PartyOrg' AS label, thing.id AS id, thing.name AS name,
       community_id, street_id, district_id, spot.reason AS reason, spot.detail AS detail
