// fetch: X2 三方联动 (queries.questions.X2.question.fetch_x2)
// The party side of a Compound: the PartyOrgs BASED_IN the compound, BASED_IN an OwnerCommittee
// that REPRESENTS it with a term current on as_of (贺州's 业委会党支部), or BASED_IN its Community.
// returns: one compound row per Compound (link, person_id, person_name, phone null; lacks: the
//   sides it has none of, in this order: 'no_party_side', 'no_committee' (no OwnerCommittee of any
//   kind current on as_of REPRESENTING it), 'no_company' (no MANAGES contract current on as_of);
//   empty when it is assessed); then, for an assessed compound, one row per linking person (each
//   once per link, lacks empty): link 'party_committee' (a current post in a party-side PartyOrg
//   and in such a committee) or 'party_company' (a current post in a party-side PartyOrg or in the
//   compound's Community, and in such a company). Columns: id, name, community_id, street_id,
//   district_id (null), lacks, link, person_id, person_name, phone.
// param: as_of (date, e.g. 2026-06-30): posts, contracts and terms are current when start <= as_of <= end (empty bounds open)
// fragment: x2_sides
UNWIND [{link: null, person: null}]
       + [person IN committee_members WHERE person IN party | {link: 'party_committee', person: person}]
       + [person IN company_staff WHERE person IN party OR person IN community_staff
          | {link: 'party_company', person: person}] AS linked
RETURN compound.id AS id, compound.name AS name,
       community.id AS community_id, street.id AS street_id, null AS district_id,
       CASE WHEN linked.link IS NULL THEN lacks ELSE [] END AS lacks,
       linked.link AS link, linked.person.id AS person_id, linked.person.name AS person_name,
       linked.person.phone AS phone
