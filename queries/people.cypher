// name: people
// description: Every person, with how many documents name them and how many posts, meetings and directives the graph holds for them (most documented first).
// column: person str
// column: person_name str
// column: documents int
// column: posts int
// column: meetings int
// column: directives int
// column: first_seen date
// column: last_seen date
MATCH (p:Person)
OPTIONAL MATCH (d:Document) WHERE d.iri IN p.sources
WITH p, count(DISTINCT d) AS documents, min(d.published) AS first_seen, max(d.published) AS last_seen
CALL { WITH p OPTIONAL MATCH (p)-[h:HELD]->(:Organization) RETURN count(DISTINCT h) AS posts }
CALL { WITH p OPTIONAL MATCH (p)-[pa:PARTICIPATED]->(:Meeting) RETURN count(DISTINCT pa) AS meetings }
CALL { WITH p OPTIONAL MATCH (p)-[:ISSUED]->(dir:Directive) RETURN count(DISTINCT dir) AS directives }
RETURN p.iri AS person, p.name AS person_name, documents, posts, meetings, directives, first_seen, last_seen
ORDER BY documents DESC, person_name, person
