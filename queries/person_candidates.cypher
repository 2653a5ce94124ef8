// name: person_candidates
// description: People whose name or alias is exactly NAME, with what tells them apart: posts, places, documents and dates.
// param: name str   the name (or alias) to look up
// column: person str
// column: person_name str
// column: aliases list
// column: posts list
// column: places list
// column: documents int
// column: first_seen date
// column: last_seen date
// Two lookups on the indexes the sync keeps (gx:neo4jIndexed): the name, and the few people with aliases,
// instead of a test of every Person node.
CALL {
  MATCH (p:Person) WHERE p.name = $name RETURN p
  UNION
  MATCH (p:Person) WHERE p.aliases IS NOT NULL AND $name IN p.aliases RETURN p
}
OPTIONAL MATCH (p)-[h:HELD]->(o:Organization)
OPTIONAL MATCH (o)-[:JURISDICTION]->(place:Place)
WITH p, collect(DISTINCT coalesce(h.post_label, h.title)) AS posts, collect(DISTINCT place.name) AS places
OPTIONAL MATCH (d:Document) WHERE d.iri IN p.sources
WITH p, posts, places, count(DISTINCT d) AS documents, min(d.published) AS first_seen, max(d.published) AS last_seen
RETURN p.iri AS person, p.name AS person_name, p.aliases AS aliases, posts, places, documents, first_seen, last_seen
ORDER BY person_name, person
