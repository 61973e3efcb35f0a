// title_zh: 小区治理全景
// title_en: A compound's governance neighbourhood
// description: Everything that governs one compound, one row per connection: its community, grids, buildings, party organisations, property companies (with contract dates), owner committees (with terms), and the people holding posts in any of them.
// param: compound_id (str, e.g. XQ001): ledger code of the compound (小区编码)
MATCH (compound:Compound {id: $compound_id})
CALL (compound) {
  MATCH (compound)-[:PART_OF]->(community:Community)
  RETURN 'community' AS relation, community.id AS id, community.name AS name,
         null AS start, null AS end, null AS detail
  UNION
  MATCH (building:Building)-[:PART_OF]->(compound)
  RETURN 'building' AS relation, building.id AS id, building.name AS name,
         null AS start, null AS end, null AS detail
  UNION
  MATCH (grid:Grid)-[:COVERS]->(covered)
  WHERE covered = compound OR (covered)-[:PART_OF]->(compound)
  RETURN DISTINCT 'grid' AS relation, grid.id AS id, grid.name AS name,
         null AS start, null AS end, grid.grid_type AS detail
  UNION
  MATCH (party:PartyOrg)-[:BASED_IN]->(compound)
  RETURN 'party_org' AS relation, party.id AS id, party.name AS name,
         null AS start, null AS end, party.kind AS detail
  UNION
  MATCH (company:PropertyCompany)-[contract:MANAGES]->(compound)
  RETURN 'property_company' AS relation, company.id AS id, company.name AS name,
         contract.start AS start, contract.end AS end, null AS detail
  UNION
  MATCH (committee:OwnerCommittee)-[:REPRESENTS]->(compound)
  RETURN 'owner_committee' AS relation, committee.id AS id, committee.name AS name,
         committee.term_start AS start, committee.term_end AS end, committee.kind AS detail
  UNION
  MATCH (person:Person)-[post:HOLDS]->(organisation)
  WHERE organisation = compound
     OR (organisation)-[:BASED_IN|MANAGES|REPRESENTS]->(compound)
     OR (organisation:Building)-[:PART_OF]->(compound)
  RETURN 'post' AS relation, person.id AS id, person.name AS name,
         post.start AS start, post.end AS end, post.role + '@' + organisation.name AS detail
}
RETURN relation, id, name, detail, start, end
ORDER BY relation, id
