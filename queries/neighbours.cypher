// name: neighbours
// description: The links (as in the links query) that start or end at one node.
// param: node str IRI of the node
// column: source str
// column: source_kind str
// column: source_name str
// column: relation str
// column: target str
// column: target_kind str
// column: target_name str
// column: date date
// column: weight int
// column: labels list
MATCH (n:Entity {iri: $node})
CALL {
  WITH n
  MATCH (n)-[r:HELD]-()
  WITH startNode(r) AS s, endNode(r) AS t, r
  WHERE s:Person AND t:Entity
  WITH s, t, count(DISTINCT r) AS weight, min(r.first_seen) AS date, collect(DISTINCT coalesce(r.post_label, r.title)) AS labels
  RETURN s, 'Person' AS source_kind, 'HELD' AS relation, t, 'Organization' AS target_kind, date, weight AS weight, labels AS labels
  UNION ALL
  WITH n
  MATCH (n)-[r:PARTICIPATED]-()
  WITH startNode(r) AS s, endNode(r) AS t, r
  WHERE s:Person AND t:Entity
  WITH s, t, count(DISTINCT r) AS weight, t.date AS date, r.roles AS labels
  RETURN s, 'Person' AS source_kind, 'PARTICIPATED' AS relation, t, 'Meeting' AS target_kind, date, weight AS weight, labels AS labels
  UNION ALL
  WITH n
  MATCH (n)-[r:ORGANIZED]-()
  WITH startNode(r) AS s, endNode(r) AS t, r
  WHERE s:Organization AND t:Entity
  WITH DISTINCT s, t, t.date AS date
  RETURN s, 'Organization' AS source_kind, 'ORGANIZED' AS relation, t, 'Meeting' AS target_kind, date, 1 AS weight, [] AS labels
  UNION ALL
  WITH n
  MATCH (n)-[r:ISSUED]-()
  WITH startNode(r) AS s, endNode(r) AS t, r
  WHERE s:Person AND t:Entity
  WITH DISTINCT s, t
  OPTIONAL MATCH (t)-[:AT_MEETING]->(m:Meeting)
  OPTIONAL MATCH (doc:Document) WHERE doc.iri IN t.sources
  WITH s, t, coalesce(min(m.date), min(doc.published)) AS date
  RETURN s, 'Person' AS source_kind, 'ISSUED' AS relation, t, 'Directive' AS target_kind, date, 1 AS weight, [] AS labels
  UNION ALL
  WITH n
  MATCH (n)-[r:ON_BEHALF_OF]-()
  WITH startNode(r) AS s, endNode(r) AS t, r
  WHERE s:Directive AND t:Entity
  WITH DISTINCT s, t
  OPTIONAL MATCH (s)-[:AT_MEETING]->(m:Meeting)
  OPTIONAL MATCH (doc:Document) WHERE doc.iri IN s.sources
  WITH s, t, coalesce(min(m.date), min(doc.published)) AS date
  RETURN s, 'Directive' AS source_kind, 'ON_BEHALF_OF' AS relation, t, 'Organization' AS target_kind, date, 1 AS weight, [] AS labels
  UNION ALL
  WITH n
  MATCH (n)-[r:ADDRESSED_TO]-()
  WITH startNode(r) AS s, endNode(r) AS t, r
  WHERE s:Directive AND t:Entity
  WITH DISTINCT s, t
  OPTIONAL MATCH (s)-[:AT_MEETING]->(m:Meeting)
  OPTIONAL MATCH (doc:Document) WHERE doc.iri IN s.sources
  WITH s, t, coalesce(min(m.date), min(doc.published)) AS date
  RETURN s, 'Directive' AS source_kind, 'ADDRESSED_TO' AS relation, t, CASE WHEN t:Addressee THEN 'Addressee' ELSE 'Organization' END AS target_kind, date, 1 AS weight, [] AS labels
  UNION ALL
  WITH n
  MATCH (n)-[r:CONCERNS]-()
  WITH startNode(r) AS s, endNode(r) AS t, r
  WHERE s:Directive AND t:Entity
  WITH DISTINCT s, t
  OPTIONAL MATCH (s)-[:AT_MEETING]->(m:Meeting)
  OPTIONAL MATCH (doc:Document) WHERE doc.iri IN s.sources
  WITH s, t, coalesce(min(m.date), min(doc.published)) AS date
  RETURN s, 'Directive' AS source_kind, 'CONCERNS' AS relation, t, 'Industry' AS target_kind, date, 1 AS weight, [] AS labels
  UNION ALL
  WITH n
  MATCH (n)-[r:AT_MEETING]-()
  WITH startNode(r) AS s, endNode(r) AS t, r
  WHERE s:Directive AND t:Entity
  WITH DISTINCT s, t
  OPTIONAL MATCH (s)-[:AT_MEETING]->(m:Meeting)
  OPTIONAL MATCH (doc:Document) WHERE doc.iri IN s.sources
  WITH s, t, coalesce(min(m.date), min(doc.published)) AS date
  RETURN s, 'Directive' AS source_kind, 'AT_MEETING' AS relation, t, 'Meeting' AS target_kind, date, 1 AS weight, [] AS labels
  UNION ALL
  WITH n
  MATCH (n)-[r:PART_OF]-()
  WITH startNode(r) AS s, endNode(r) AS t, r
  WHERE s:Organization AND t:Organization
  WITH DISTINCT s, t, null AS date
  RETURN s, 'Organization' AS source_kind, 'PART_OF' AS relation, t, 'Organization' AS target_kind, date, 1 AS weight, [] AS labels
}
WITH DISTINCT s, source_kind, relation, t, target_kind, date, weight, labels
RETURN s.iri AS source, source_kind, coalesce(s.name, s.text) AS source_name, relation, t.iri AS target, target_kind,
       coalesce(t.name, t.text) AS target_name, date, weight, labels
ORDER BY relation, source, target
