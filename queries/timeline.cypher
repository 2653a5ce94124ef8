// name: timeline
// description: What happened to a person or a body, in date order: posts, meetings, directives, documents written or published.
// param: entity str IRI of the person or the body
// column: date date
// column: until date
// column: kind str
// column: item str
// column: label str
// column: other str
// column: other_name str
// column: documents list
MATCH (e:Entity {iri: $entity})
CALL {
  WITH e
  MATCH (e)-[h:HELD]->(o:Organization)
  RETURN h.first_seen AS date, h.last_seen AS until, 'post' AS kind, h.iri AS item,
         coalesce(h.post_label, h.title) AS label, o AS other, h.sources AS documents
  UNION ALL
  WITH e
  MATCH (p:Person)-[h:HELD]->(e)
  RETURN h.first_seen AS date, h.last_seen AS until, 'post' AS kind, h.iri AS item,
         coalesce(h.post_label, h.title) AS label, p AS other, h.sources AS documents
  UNION ALL
  WITH e
  MATCH (e)-[x:PARTICIPATED]->(m:Meeting)
  RETURN m.date AS date, null AS until, 'meeting' AS kind, x.iri AS item, m.name AS label, m AS other,
         x.sources AS documents
  UNION ALL
  WITH e
  MATCH (e)-[:ORGANIZED]->(m:Meeting)
  RETURN m.date AS date, null AS until, 'meeting' AS kind, m.iri AS item, m.name AS label, null AS other,
         m.sources AS documents
  UNION ALL
  WITH e
  MATCH (e)-[:ISSUED]->(d:Directive)
  OPTIONAL MATCH (d)-[:ON_BEHALF_OF]->(o:Organization)
  OPTIONAL MATCH (d)-[:AT_MEETING]->(m:Meeting)
  OPTIONAL MATCH (doc:Document) WHERE doc.iri IN d.sources
  RETURN coalesce(m.date, doc.published) AS date, null AS until, 'directive' AS kind, d.iri AS item, d.text AS label,
         o AS other, d.sources AS documents
  UNION ALL
  WITH e
  MATCH (d:Directive)-[:ON_BEHALF_OF]->(e)
  OPTIONAL MATCH (s:Person)-[:ISSUED]->(d)
  OPTIONAL MATCH (d)-[:AT_MEETING]->(m:Meeting)
  OPTIONAL MATCH (doc:Document) WHERE doc.iri IN d.sources
  RETURN coalesce(m.date, doc.published) AS date, null AS until, 'directive' AS kind, d.iri AS item, d.text AS label,
         s AS other, d.sources AS documents
  UNION ALL
  WITH e
  MATCH (d:Directive)-[:ADDRESSED_TO]->(e)
  OPTIONAL MATCH (s:Person)-[:ISSUED]->(d)
  OPTIONAL MATCH (d)-[:AT_MEETING]->(m:Meeting)
  OPTIONAL MATCH (doc:Document) WHERE doc.iri IN d.sources
  RETURN coalesce(m.date, doc.published) AS date, null AS until, 'addressed' AS kind, d.iri AS item, d.text AS label,
         s AS other, d.sources AS documents
  UNION ALL
  WITH e
  MATCH (e)-[:WROTE|PUBLISHED]->(doc:Document)
  RETURN doc.published AS date, null AS until, 'document' AS kind, doc.iri AS item, doc.title AS label,
         null AS other, [doc.iri] AS documents
}
RETURN date, until, kind, item, label, other.iri AS other, other.name AS other_name, documents
ORDER BY coalesce(toString(date), ''), kind, coalesce(label, ''), item, coalesce(other, '')
