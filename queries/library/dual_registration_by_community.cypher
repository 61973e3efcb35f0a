// title_zh: 各社区双报到情况
// title_en: Dual registration by community
// description: For each community of the street, the resident units (驻区单位) and the party members registered with it (双报到), and how many list items (需求/资源/项目) they raised or offered.
// param: street_id (str, e.g. S01): ledger code of the street (街道编码)
MATCH (:Street {id: $street_id})<-[:PART_OF]-(community:Community)
RETURN community.id AS community_id, community.name AS community,
       COUNT { (:ResidentUnit)-[:REGISTERED_WITH]->(community) } AS resident_units,
       COUNT { (member:Person)-[:REGISTERED_WITH]->(community) WHERE member.party_member } AS party_members,
       COUNT { (:ListItem)-[:RAISED_BY|OFFERED_BY]->(community) } AS list_items
ORDER BY community_id
