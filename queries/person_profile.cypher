// name: person_profile
// description: A person's posts (with attested dates), meetings (with roles) and directives, one row per fact and document, with the quotes.
// param: person str IRI of the person (guanxi person NAME lists candidates)
// param: since date optional  only rows whose document was published on or after this date (YYYY-MM-DD)
// column: kind str
// column: item str
// column: label str
// column: organization str
// column: organization_iri str
// column: meeting str
// column: meeting_iri str
// column: event_kind str
// column: date_from date
// column: date_to date
// column: roles list
// column: document str
// column: document_title str
// column: published date
// column: quotes list
// column: position int
MATCH (p:Person {iri: $person})
CALL {
  WITH p
  MATCH (p)-[h:HELD]->(o:Organization)
  UNWIND h.mentions AS mention
  MATCH (m:Mention {iri: mention})-[:IN_DOCUMENT]->(d:Document)
  WHERE $since IS NULL OR toString(d.published) >= $since
  WITH h, o, d, collect(DISTINCT m.exact) AS quotes, min(m.start) AS position
  RETURN 'post' AS kind, h.iri AS item, coalesce(h.post_label, h.title) AS label, o.name AS organization,
         o.iri AS organization_iri, null AS meeting, null AS meeting_iri, null AS event_kind, h.first_seen AS date_from,
         h.last_seen AS date_to, [] AS roles, d, quotes, position
  UNION ALL
  WITH p
  MATCH (p)-[x:PARTICIPATED]->(mt:Meeting)
  UNWIND x.mentions AS mention
  MATCH (m:Mention {iri: mention})-[:IN_DOCUMENT]->(d:Document)
  WHERE $since IS NULL OR toString(d.published) >= $since
  WITH x, mt, d, collect(DISTINCT m.exact) AS quotes, min(m.start) AS position
  OPTIONAL MATCH (o:Organization)-[:ORGANIZED]->(mt)
  RETURN 'meeting' AS kind, x.iri AS item, mt.name AS label, o.name AS organization, o.iri AS organization_iri,
         mt.name AS meeting, mt.iri AS meeting_iri, coalesce(mt.kind, 'meeting') AS event_kind,
         coalesce(mt.date, d.published) AS date_from, coalesce(mt.date, d.published) AS date_to, x.roles AS roles, d,
         quotes, position
  UNION ALL
  WITH p
  MATCH (p)-[:ISSUED]->(dir:Directive)-[:ATTESTED_BY]->(m:Mention)-[:IN_DOCUMENT]->(d:Document)
  WHERE $since IS NULL OR toString(d.published) >= $since
  WITH dir, d, collect(DISTINCT m.exact) AS quotes, min(m.start) AS position
  OPTIONAL MATCH (dir)-[:ON_BEHALF_OF]->(o:Organization)
  OPTIONAL MATCH (dir)-[:AT_MEETING]->(mt:Meeting)
  RETURN 'directive' AS kind, dir.iri AS item, dir.text AS label, o.name AS organization, o.iri AS organization_iri,
         mt.name AS meeting, mt.iri AS meeting_iri, null AS event_kind, coalesce(mt.date, d.published) AS date_from,
         coalesce(mt.date, d.published) AS date_to, [] AS roles, d, quotes, position
}
RETURN kind, item, label, organization, organization_iri, meeting, meeting_iri, event_kind, date_from, date_to, roles,
       d.iri AS document, d.title AS document_title, d.published AS published, quotes, position
ORDER BY kind, coalesce(toString(date_from), ''), document, position, item
