// title_zh: 党组织下级树
// title_en: Party organisations under an organisation
// description: Every PartyOrg under the given one through UNDER (child to parent), with its depth, kind, parent and member count, in tree order.
// param: party_org_id (str, e.g. DZZ001): ledger code of the top organisation (组织编码)
MATCH path = (child:PartyOrg)-[:UNDER*0..]->(:PartyOrg {id: $party_org_id})
WITH child, length(path) AS depth
OPTIONAL MATCH (child)-[:UNDER]->(parent:PartyOrg)
OPTIONAL MATCH (member:Person)-[:MEMBER_OF]->(child)
RETURN depth, child.id AS party_org_id, child.name AS party_org, child.kind AS kind,
       parent.id AS parent_id, count(DISTINCT member) AS members
ORDER BY depth, parent_id, party_org_id
