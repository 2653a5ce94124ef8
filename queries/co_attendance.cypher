// name: co_attendance
// description: Who met whom: pairs of people at the same meetings, how often and where (each pair twice, once from each side, unless PERSON is given).
// param: person str optional IRI of one of the two people (all pairs when not given)
// column: person str
// column: person_name str
// column: other str
// column: other_name str
// column: meetings int
// column: meeting_labels list
// column: meeting_iris list
MATCH (a:Person)-[:PARTICIPATED]->(m:Meeting)<-[:PARTICIPATED]-(b:Person)
WHERE ($person IS NULL OR a.iri = $person) AND a <> b
WITH a, b, collect(DISTINCT m) AS ms
RETURN a.iri AS person, a.name AS person_name, b.iri AS other, b.name AS other_name, size(ms) AS meetings,
       reduce(acc = [], label IN [m IN ms | coalesce(toString(m.date), '') + ' ' + m.name] |
              CASE WHEN label IN acc THEN acc ELSE acc + label END) AS meeting_labels, [m IN ms | m.iri] AS meeting_iris
ORDER BY meetings DESC, person_name, other_name, person, other
