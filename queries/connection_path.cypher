// name: connection_path
// description: How two people are linked: the shortest chain person - meeting or body - person (at most one person in between), one row per step.
// param: source str IRI of the first person
// param: target str IRI of the second person
// column: step int
// column: node str
// column: node_name str
// column: node_kind str
// column: via str
// column: node_date date
MATCH (a:Person {iri: $source}), (b:Person {iri: $target})
WHERE a <> b
MATCH path = allShortestPaths((a)-[:PARTICIPATED|HELD*..4]-(b))
WITH path ORDER BY [n IN nodes(path) | n.iri] LIMIT 1
UNWIND range(0, length(path)) AS step
WITH step, nodes(path)[step] AS n, CASE WHEN step = 0 THEN '' ELSE type(relationships(path)[step - 1]) END AS via
RETURN step, n.iri AS node, n.name AS node_name,
       CASE WHEN n:Person THEN 'Person' WHEN n:Meeting THEN 'Meeting' ELSE 'Organization' END AS node_kind,
       via, n.date AS node_date
ORDER BY step
