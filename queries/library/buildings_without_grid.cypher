// title_zh: 未纳入网格的楼栋
// title_en: Buildings no grid covers
// description: Buildings of the street that no Grid COVERS, neither directly nor through their compound — blind spots of the "one net" (一张网).
// param: street_id (str, e.g. S01): ledger code of the street (街道编码)
MATCH (:Street {id: $street_id})<-[:PART_OF]-(community:Community)<-[:PART_OF]-(compound:Compound)
MATCH (building:Building)-[:PART_OF]->(compound)
WHERE NOT EXISTS { MATCH (:Grid)-[:COVERS]->(building) }
  AND NOT EXISTS { MATCH (:Grid)-[:COVERS]->(compound) }
RETURN community.name AS community, compound.id AS compound_id, compound.name AS compound,
       building.id AS building_id, building.name AS building
ORDER BY compound_id, building_id
