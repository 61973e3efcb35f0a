// fetch: B8 组织体系断链 (queries.questions.B8.question.fetch_b8)
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
     // Two patterns, not one with OR: each walks up from the organisation, and the second ends
     // on a Street rather than asking every ancestor for its bases.
     EXISTS { MATCH (thing)-[:UNDER*0..]->(top:PartyOrg) WHERE top.kind = 'working_committee' }
     OR EXISTS { MATCH (thing)-[:UNDER*0..]->(:PartyOrg)-[:BASED_IN]->(:Street) } AS reaches_street,
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
UNWIND spots AS spot
// fragment: place
RETURN 'PartyOrg' AS label, thing.id AS id, thing.name AS name,
       community_id, street_id, district_id, spot.reason AS reason, spot.detail AS detail
