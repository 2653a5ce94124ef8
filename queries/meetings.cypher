// name: meetings
// description: Meetings by part of their name, exact date or date range (all optional), with organizer, theme, participants, directives and documents.
// param: name str optional    part of the meeting's name or alias
// param: date date optional   the meeting's date (YYYY-MM-DD)
// param: since date optional  on or after this date
// param: until date optional  on or before this date
// param: meeting str optional IRI of the meeting
// column: meeting str
// column: meeting_name str
// column: meeting_date date
// column: organizer str
// column: organizer_name str
// column: theme str
// column: participants int
// column: directives int
// column: documents list
MATCH (m:Meeting)
WHERE ($meeting IS NULL OR m.iri = $meeting)
  AND ($name IS NULL OR any(n IN [m.name] + coalesce(m.aliases, []) WHERE n CONTAINS $name))
  AND ($date IS NULL OR toString(m.date) = $date)
  AND ($since IS NULL OR toString(m.date) >= $since)
  AND ($until IS NULL OR toString(m.date) <= $until)
OPTIONAL MATCH (o:Organization)-[:ORGANIZED]->(m)
WITH m, min(o.iri) AS organizer
OPTIONAL MATCH (o:Organization {iri: organizer})
RETURN m.iri AS meeting, m.name AS meeting_name, m.date AS meeting_date, organizer, o.name AS organizer_name,
       m.theme AS theme, COUNT { (:Person)-[:PARTICIPATED]->(m) } AS participants,
       COUNT { (:Directive)-[:AT_MEETING]->(m) } AS directives, m.sources AS documents
ORDER BY coalesce(toString(meeting_date), ''), meeting_name, meeting
