package report

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/trustpath/trustpath/analysis"
	"github.com/trustpath/trustpath/graph"
)

// SARIF names the version and schema of the SARIF written.
const (
	SARIFVersion = "2.1.0"
	SARIFSchema  = "https://json.schemastore.org/sarif-2.1.0.json"
)

// Locator returns the manifest file and line of the object a key names,
// and false when it has none (input read from a live cluster).
type Locator func(key string) (file string, line int, ok bool)

type (
	sarifLog struct {
		Schema  string     `json:"$schema"`
		Version string     `json:"version"`
		Runs    []sarifRun `json:"runs"`
	}
	sarifRun struct {
		Tool       sarifTool     `json:"tool"`
		Results    []sarifResult `json:"results"`
		ColumnKind string        `json:"columnKind"`
	}
	sarifTool struct {
		Driver sarifDriver `json:"driver"`
	}
	sarifDriver struct {
		Name           string      `json:"name"`
		InformationURI string      `json:"informationUri"`
		Version        string      `json:"version,omitempty"`
		Rules          []sarifRule `json:"rules"`
	}
	sarifRule struct {
		ID                   string             `json:"id"`
		Name                 string             `json:"name"`
		ShortDescription     sarifText          `json:"shortDescription"`
		FullDescription      sarifText          `json:"fullDescription"`
		Help                 sarifMessage       `json:"help"`
		HelpURI              string             `json:"helpUri"`
		DefaultConfiguration sarifConfiguration `json:"defaultConfiguration"`
		Properties           sarifRuleProps     `json:"properties"`
	}
	sarifConfiguration struct {
		Level string `json:"level"`
	}
	sarifRuleProps struct {
		Tags             []string `json:"tags"`
		Precision        string   `json:"precision"`
		ProblemSeverity  string   `json:"problem.severity"`
		SecuritySeverity string   `json:"security-severity"`
	}
	sarifText struct {
		Text string `json:"text"`
	}
	sarifMessage struct {
		Text     string `json:"text"`
		Markdown string `json:"markdown,omitempty"`
	}
	sarifResult struct {
		RuleID              string            `json:"ruleId"`
		RuleIndex           int               `json:"ruleIndex"`
		Level               string            `json:"level"`
		Message             sarifMessage      `json:"message"`
		Locations           []sarifLocation   `json:"locations"`
		CodeFlows           []sarifCodeFlow   `json:"codeFlows,omitempty"`
		PartialFingerprints map[string]string `json:"partialFingerprints"`
		Properties          sarifResultProps  `json:"properties"`
	}
	sarifResultProps struct {
		Severity string      `json:"severity"`
		Findings int         `json:"findings"`
		Control  string      `json:"control"`
		Object   string      `json:"object"`
		Targets  []graph.Key `json:"targets"`
	}
	sarifLocation struct {
		PhysicalLocation *sarifPhysical `json:"physicalLocation,omitempty"`
		LogicalLocations []sarifLogical `json:"logicalLocations,omitempty"`
		Message          *sarifText     `json:"message,omitempty"`
	}
	sarifPhysical struct {
		ArtifactLocation sarifArtifact `json:"artifactLocation"`
		Region           *sarifRegion  `json:"region,omitempty"`
	}
	sarifArtifact struct {
		URI string `json:"uri"`
	}
	sarifRegion struct {
		StartLine int `json:"startLine"`
	}
	sarifLogical struct {
		FullyQualifiedName string `json:"fullyQualifiedName"`
		Kind               string `json:"kind"`
	}
	sarifCodeFlow struct {
		Message     sarifText         `json:"message"`
		ThreadFlows []sarifThreadFlow `json:"threadFlows"`
	}
	sarifThreadFlow struct {
		Locations []sarifFlowLocation `json:"locations"`
	}
	sarifFlowLocation struct {
		Location sarifLocation `json:"location"`
	}
)

// securityScore is the GitHub code-scanning security-severity of each
// severity (critical ≥ 9.0, high ≥ 7.0, medium ≥ 4.0, low below).
var securityScore = map[analysis.Severity]string{
	analysis.Critical: "9.5", analysis.High: "8.0", analysis.Medium: "5.5", analysis.Low: "3.0",
}

func sarifLevel(s analysis.Severity) string {
	switch s {
	case analysis.Critical, analysis.High:
		return "error"
	case analysis.Medium:
		return "warning"
	}
	return "note"
}

// WriteSARIF writes the findings as SARIF 2.1.0 for code-scanning tools:
// one result per missing control (the findings it lets through, which
// adding it closes), under the rule for its type, located at the manifest
// of the object to change, with the worst finding's path as a code flow.
// Rules are those with results, in a fixed order.
func WriteSARIF(w io.Writer, res *analysis.Result, locate Locator, version string) error {
	run := sarifRun{Tool: sarifTool{Driver: sarifDriver{Name: "trustpath",
		InformationURI: "https://github.com/trustpath/trustpath", Version: version, Rules: []sarifRule{}}},
		Results: []sarifResult{}, ColumnKind: "unicodeCodePoints"}
	worst := map[string]analysis.Severity{}
	for _, c := range res.Causes {
		id := RuleOf(c.Control).ID
		worst[id] = max(worst[id], c.Severity)
	}
	index := map[string]int{}
	for _, r := range Rules() {
		s, used := worst[r.ID]
		if !used {
			continue
		}
		index[r.ID] = len(run.Tool.Driver.Rules)
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRule{
			ID: r.ID, Name: r.Name, ShortDescription: sarifText{r.Short}, FullDescription: sarifText{r.Help},
			Help:    sarifMessage{Text: r.Help + " " + r.HelpURI, Markdown: r.Help + "\n\n[Kubernetes documentation](" + r.HelpURI + ")"},
			HelpURI: r.HelpURI, DefaultConfiguration: sarifConfiguration{Level: sarifLevel(s)},
			Properties: sarifRuleProps{Tags: []string{"security", "kubernetes", "attack-path"}, Precision: "high",
				ProblemSeverity: sarifLevel(s), SecuritySeverity: securityScore[s]},
		})
	}
	for _, c := range res.Causes {
		run.Results = append(run.Results, sarifResultOf(c, index, locate))
	}
	return encode(w, sarifLog{Schema: SARIFSchema, Version: SARIFVersion, Runs: []sarifRun{run}})
}

func sarifResultOf(c *analysis.Cause, index map[string]int, locate Locator) sarifResult {
	rule := RuleOf(c.Control)
	f := c.Findings[0]
	at := f.Path.Steps[f.Crossing.Step]
	obj := FaultObject(c.Control, at)
	loc := sarifLocation{LogicalLocations: []sarifLogical{{FullyQualifiedName: obj, Kind: "object"}}}
	candidates := []string{obj}
	for _, ev := range at.Evidence {
		candidates = append(candidates, string(ev.Object))
	}
	for _, k := range candidates {
		if p := physical(locate, k); p != nil {
			loc.PhysicalLocation = p
			break
		}
	}
	var targets []graph.Key
	seen := map[graph.Key]bool{}
	for _, x := range c.Findings {
		if k := x.Target.Vertex.Key; !seen[k] {
			seen[k] = true
			targets = append(targets, k)
		}
	}
	text := fmt.Sprintf("%s is missing on %s: %d attack %s through it. Worst (%s): %s reaches %s, crossing the %s boundary into %s. Fix: %s.",
		c.Control, obj, len(c.Findings), pluralWord(len(c.Findings), "path crosses", "paths cross"), f.Severity,
		stripMarkup(actorStart(f)), f.Target.Vertex.Key, f.Crossing.Boundary, at.T.Key, c.Fix.Summary)
	md := fmt.Sprintf("`%s` is missing on `%s`: **%d** attack %s through it.\n\nWorst (**%s**): %s reaches `%s`, crossing the **%s** boundary into `%s`.\n\nFix: %s.",
		c.Control, obj, len(c.Findings), pluralWord(len(c.Findings), "path crosses", "paths cross"), f.Severity,
		stripMarkup(actorStart(f)), f.Target.Vertex.Key, f.Crossing.Boundary, at.T.Key, c.Fix.Summary)
	if c.Fix.Snippet != "" {
		md += "\n\n```" + snippetLang(c.Fix.Snippet) + "\n" + strings.TrimRight(c.Fix.Snippet, "\n") + "\n```"
	}
	sum := sha256.Sum256([]byte(c.Control))
	return sarifResult{
		RuleID: rule.ID, RuleIndex: index[rule.ID], Level: sarifLevel(c.Severity),
		Message:             sarifMessage{Text: text, Markdown: md},
		Locations:           []sarifLocation{loc},
		CodeFlows:           []sarifCodeFlow{codeFlow(f, locate)},
		PartialFingerprints: map[string]string{"trustpathControl/v1": hex.EncodeToString(sum[:16])},
		Properties: sarifResultProps{Severity: c.Severity.String(), Findings: len(c.Findings), Control: c.Control,
			Object: obj, Targets: targets},
	}
}

// codeFlow tells a finding's path as a SARIF thread flow: one location per
// step, at the manifest of the object that allowed it.
func codeFlow(f *analysis.Finding, locate Locator) sarifCodeFlow {
	crossed := map[int]analysis.Crossing{}
	for _, c := range f.Path.Crossings() {
		crossed[c.Step] = c
	}
	var tf sarifThreadFlow
	for i, e := range f.Path.Steps {
		msg := fmt.Sprintf("%d. %s: %s -> %s", i+1, e.Label(), e.F.Key, e.T.Key)
		if c, ok := crossed[i]; ok {
			msg += fmt.Sprintf(" (crosses %s", c.Boundary)
			if len(c.Missing) > 0 {
				msg += "; missing: " + strings.Join(c.Missing, "; ")
			}
			msg += ")"
		}
		loc := sarifLocation{LogicalLocations: []sarifLogical{{FullyQualifiedName: string(e.T.Key), Kind: "object"}},
			Message: &sarifText{msg}}
		for _, ev := range e.Evidence {
			if p := physical(locate, string(ev.Object)); p != nil {
				loc.PhysicalLocation = p
				break
			}
		}
		tf.Locations = append(tf.Locations, sarifFlowLocation{Location: loc})
	}
	return sarifCodeFlow{Message: sarifText{fmt.Sprintf("%s reaches %s", stripMarkup(actorStart(f)), f.Target.Vertex.Key)},
		ThreadFlows: []sarifThreadFlow{tf}}
}

func physical(locate Locator, key string) *sarifPhysical {
	if locate == nil {
		return nil
	}
	file, line, ok := locate(key)
	if !ok || file == "" || file == "-" {
		return nil
	}
	p := &sarifPhysical{ArtifactLocation: sarifArtifact{URI: fileURI(file)}}
	if line > 0 {
		p.Region = &sarifRegion{StartLine: line}
	}
	return p
}

// fileURI writes a path as SARIF wants it: a relative URI reference for a
// relative path (resolved against the repository root by code scanning),
// a file URI for an absolute one.
func fileURI(p string) string {
	p = filepath.ToSlash(p)
	p = strings.TrimPrefix(p, "./")
	if filepath.IsAbs(p) || strings.HasPrefix(p, "/") {
		return (&url.URL{Scheme: "file", Path: p}).String()
	}
	return (&url.URL{Path: p}).String()
}

func pluralWord(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
