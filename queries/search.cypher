// name: search
// description: Find people, bodies, meetings, addressees and industries by part of a name or alias, and directives by part of their text.
// param: text str              the Chinese (or other) substring to look for
// param: type str optional     only this kind: Person, Organization, Meeting, Directive, Addressee or Industry
// column: kind str
// column: item str
// column: label str
// column: field str
// column: matched str
CALL {
  MATCH (n:Person) RETURN n, 'Person' AS kind
  UNION ALL
  MATCH (n:Organization) RETURN n, 'Organization' AS kind
  UNION ALL
  MATCH (n:Meeting) RETURN n, 'Meeting' AS kind
  UNION ALL
  MATCH (n:Addressee) RETURN n, 'Addressee' AS kind
  UNION ALL
  MATCH (n:Industry) RETURN n, 'Industry' AS kind
  UNION ALL
  MATCH (n:Directive) RETURN n, 'Directive' AS kind
}
WITH n, kind
WHERE $type IS NULL OR kind = $type
UNWIND CASE kind
         WHEN 'Directive' THEN [['text', n.text]]
         WHEN 'Industry' THEN [['name', n.name]]
         ELSE [['name', n.name]] + [a IN coalesce(n.aliases, []) | ['alias', a]]
       END AS candidate
WITH DISTINCT kind, n, candidate[0] AS field, candidate[1] AS matched
WHERE matched CONTAINS $text
RETURN kind, n.iri AS item, CASE kind WHEN 'Directive' THEN n.text ELSE n.name END AS label, field, matched
ORDER BY kind, label, item, field, matched
