// fetch: areas (queries.embedded.fetch_areas): the districts, streets and communities every
//   assemble step uses to name places and check scopes
// returns: one row per District, Street and Community: label, id, name, parent_id (the id of the
//   area it is PART_OF, null for a district)
MATCH (district:District)
RETURN 'District' AS label, district.id AS id, district.name AS name, null AS parent_id
UNION ALL
MATCH (street:Street)
OPTIONAL MATCH (street)-[:PART_OF]->(district:District)
RETURN 'Street' AS label, street.id AS id, street.name AS name, district.id AS parent_id
UNION ALL
MATCH (community:Community)
OPTIONAL MATCH (community)-[:PART_OF]->(street:Street)
RETURN 'Community' AS label, community.id AS id, community.name AS name, street.id AS parent_id
