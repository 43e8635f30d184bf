package analysis

// CountFindings is countFindings, for the external tests.
var CountFindings = countFindings
