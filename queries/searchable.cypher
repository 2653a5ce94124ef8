// name: searchable
// description: Every name and alias of people, bodies, meetings, addressees and industries, and every directive's text: what the workbench's search index folds and matches (the search query without its filter).
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
UNWIND CASE kind
         WHEN 'Directive' THEN [['text', n.text]]
         WHEN 'Industry' THEN [['name', n.name]]
         ELSE [['name', n.name]] + [a IN coalesce(n.aliases, []) | ['alias', a]]
       END AS candidate
WITH DISTINCT kind, n, candidate[0] AS field, candidate[1] AS matched
WHERE matched IS NOT NULL
RETURN kind, n.iri AS item, CASE kind WHEN 'Directive' THEN n.text ELSE n.name END AS label, field, matched
ORDER BY kind, label, item, field, matched
