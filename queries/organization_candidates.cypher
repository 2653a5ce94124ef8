// name: organization_candidates
// description: Bodies whose name or alias contains NAME (exact matches flagged), with kind, place, parent and how many people held posts there.
// param: name str   part of the body's name or alias
// column: organization str
// column: organization_name str
// column: exact int
// column: kind str
// column: place str
// column: parent str
// column: members int
// column: documents int
MATCH (o:Organization)
WHERE any(n IN [o.name] + coalesce(o.aliases, []) WHERE n CONTAINS $name)
OPTIONAL MATCH (o)-[:JURISDICTION]->(place:Place)
OPTIONAL MATCH (o)-[:PART_OF]->(up:Organization)
WITH o, min(place.name) AS place, min(up.name) AS parent
OPTIONAL MATCH (h:Person)-[held:HELD]->(o)
UNWIND (CASE WHEN held IS NULL THEN [null] ELSE held.sources END) AS source
WITH o, place, parent, count(DISTINCT h) AS members, count(DISTINCT source) AS documents
RETURN o.iri AS organization, o.name AS organization_name,
       CASE WHEN $name IN [o.name] + coalesce(o.aliases, []) THEN 1 ELSE 0 END AS exact, o.kind AS kind, place, parent,
       members, documents
ORDER BY exact DESC, members DESC, organization_name, organization
