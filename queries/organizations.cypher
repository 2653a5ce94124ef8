// name: organizations
// description: Every body, with its kind, place and parent, how many people held posts there and in how many documents (most staffed first).
// column: organization str
// column: organization_name str
// column: kind str
// column: place str
// column: parent str
// column: members int
// column: documents int
MATCH (o:Organization)
OPTIONAL MATCH (o)-[:JURISDICTION]->(place:Place)
OPTIONAL MATCH (o)-[:PART_OF]->(up:Organization)
WITH o, min(place.name) AS place, min(up.name) AS parent
OPTIONAL MATCH (h:Person)-[held:HELD]->(o)
UNWIND (CASE WHEN held IS NULL THEN [null] ELSE held.sources END) AS source
WITH o, place, parent, count(DISTINCT h) AS members, count(DISTINCT source) AS documents
RETURN o.iri AS organization, o.name AS organization_name, o.kind AS kind, place, parent, members, documents
ORDER BY members DESC, documents DESC, organization_name, organization
