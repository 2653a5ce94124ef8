// name: organization_card
// description: One body by IRI, with the same columns as organization_candidates (exact is 1).
// param: organization str IRI of the body
// column: organization str
// column: organization_name str
// column: exact int
// column: kind str
// column: place str
// column: parent str
// column: members int
// column: documents int
MATCH (o:Organization {iri: $organization})
OPTIONAL MATCH (o)-[:JURISDICTION]->(place:Place)
OPTIONAL MATCH (o)-[:PART_OF]->(up:Organization)
WITH o, min(place.name) AS place, min(up.name) AS parent
OPTIONAL MATCH (h:Person)-[held:HELD]->(o)
UNWIND (CASE WHEN held IS NULL THEN [null] ELSE held.sources END) AS source
WITH o, place, parent, count(DISTINCT h) AS members, count(DISTINCT source) AS documents
RETURN o.iri AS organization, o.name AS organization_name,
       1 AS exact, o.kind AS kind, place, parent,
       members, documents
ORDER BY exact DESC, members DESC, organization_name, organization
