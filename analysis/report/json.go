package report

import (
	"encoding/json"
	"io"
	"math"

	"github.com/trustpath/trustpath/analysis"
	"github.com/trustpath/trustpath/graph"
	"github.com/trustpath/trustpath/internal/jsonstream"
)

// ReviewSchema names the JSON encoding of a review. Like every trustpath
// JSON document it is described in schema/trustpath.schema.json; it changes
// when a field changes meaning or goes away, not when one is added.
const ReviewSchema = "trustpath.io/review/v1"

// Finding is a finding as JSON: the fields of `trustpath analyze -o json`
// (trustpath.io/findings/v1), and in a review the finding's stable id.
type Finding struct {
	ID       string    `json:"id,omitempty"` // set by FindingJSON; analyze's schema has none
	Severity string    `json:"severity"`
	Score    int       `json:"score"`
	Actor    string    `json:"actor"`
	Crosses  string    `json:"crosses"`
	At       graph.Key `json:"at"`
	Missing  []string  `json:"missing"`
	Target   graph.Key `json:"target"`
	Impact   int       `json:"impact"`
	Path     Path      `json:"path"`
}

// Path is a path as JSON, as in trustpath.io/paths/v1.
type Path struct {
	From  graph.Key `json:"from"`
	To    graph.Key `json:"to"`
	Cost  float64   `json:"cost"`
	Steps []Step    `json:"steps"`
}

// Step is one step of a Path.
type Step struct {
	From      graph.Key        `json:"from"`
	To        graph.Key        `json:"to"`
	Technique graph.Technique  `json:"technique"`
	Ports     []string         `json:"ports,omitempty"`
	Crosses   string           `json:"crosses,omitempty"`
	Missing   []string         `json:"missing,omitempty"`
	Evidence  []graph.Evidence `json:"evidence,omitempty"`
	Note      string           `json:"note,omitempty"`
	Cost      float64          `json:"cost"`
}

// FindingJSON encodes a finding with its stable id.
func FindingJSON(f *analysis.Finding) Finding {
	j := FindingFieldsJSON(f)
	j.ID = f.ID()
	return j
}

// FindingFieldsJSON encodes a finding without its id, as analyze writes
// findings: building millions of id strings nobody reads would cost more
// than the rest of the finding.
func FindingFieldsJSON(f *analysis.Finding) Finding {
	return Finding{Severity: f.Severity.String(), Score: f.Score, Actor: f.Actor.String(),
		Crosses: f.Crossing.Boundary.String(), At: f.Path.Steps[f.Crossing.Step].T.Key, Missing: f.Crossing.Missing,
		Target: f.Target.Vertex.Key, Impact: int(f.Target.Impact), Path: PathJSON(f.Path)}
}

// PathJSON encodes a path; each step that crosses a boundary says which and
// what was missing there.
func PathJSON(p analysis.Path) Path {
	crossed := map[int]analysis.Crossing{}
	for _, c := range p.Crossings() {
		crossed[c.Step] = c
	}
	jp := Path{From: p.From().Key, To: p.To().Key, Cost: p.Cost, Steps: []Step{}}
	for i, e := range p.Steps {
		s := Step{From: e.F.Key, To: e.T.Key, Technique: e.Technique, Ports: e.Ports, Missing: e.Missing,
			Evidence: e.Evidence, Note: e.Note, Cost: e.Cost}
		if c, ok := crossed[i]; ok {
			s.Crosses, s.Missing = c.Boundary.String(), c.Missing
		}
		jp.Steps = append(jp.Steps, s)
	}
	return jp
}

type (
	jsonReview struct {
		Schema      string            `json:"schema"`
		Title       string            `json:"title"`
		Scope       jsonScope         `json:"scope"`
		Inventory   []jsonCluster     `json:"inventory"`
		Summary     jsonSummary       `json:"summary"`
		Boundaries  []jsonBoundary    `json:"boundaries"`
		Actors      []jsonActor       `json:"actors"`
		Targets     []jsonTarget      `json:"targets"`
		Paths       []Finding         `json:"paths"`
		Causes      []jsonCause       `json:"causes"`
		Findings    *jsonstream.Array `json:"findings"`
		Persistence []jsonPersistence `json:"persistence"`
		Chokes      []jsonChoke       `json:"choke_points"`
		Fixes       []jsonFix         `json:"fixes"`
	}
	jsonScope struct {
		Sources  []string           `json:"sources"`
		Clusters []jsonClusterScope `json:"clusters"`
	}
	jsonClusterScope struct {
		Name     string      `json:"name"`
		Objects  int         `json:"objects"`
		Skipped  []KindCount `json:"skipped"`
		Gaps     []string    `json:"gaps"`
		Problems []string    `json:"problems"`
	}
	jsonCluster struct {
		Name            string          `json:"name"`
		Nodes           []jsonNode      `json:"nodes"`
		Namespaces      []jsonNamespace `json:"namespaces"`
		Workloads       int             `json:"pod_groups"`
		Containers      int             `json:"containers"`
		ServiceAccounts int             `json:"service_accounts"`
		Users           int             `json:"users"`
		Groups          int             `json:"groups"`
		Secrets         int             `json:"secrets"`
		Services        int             `json:"services"`
		Ingresses       int             `json:"ingresses"`
		MountedTokens   int             `json:"pod_groups_with_token"`
		Agents          []jsonAgent     `json:"agents"`
	}
	jsonNode struct {
		Key     graph.Key `json:"key"`
		Kubelet string    `json:"kubelet,omitempty"`
		OS      string    `json:"os,omitempty"`
	}
	jsonNamespace struct {
		Name        string `json:"name"`
		PSA         string `json:"pod_security,omitempty"`
		Workloads   int    `json:"pod_groups"`
		Secrets     int    `json:"secrets"`
		OpenIngress int    `json:"open_ingress"`
		OpenEgress  int    `json:"open_egress"`
	}
	jsonAgent struct {
		Workload graph.Key `json:"workload"`
		Image    string    `json:"image"`
		Role     string    `json:"role"`
	}
	jsonSummary struct {
		Findings int `json:"findings"`
		Causes   int `json:"causes"`
		Critical int `json:"critical"`
		High     int `json:"high"`
		Medium   int `json:"medium"`
		Low      int `json:"low"`
	}
	jsonBoundary struct {
		Boundary  string         `json:"boundary"`
		Steps     int            `json:"steps"`
		Guarded   int            `json:"guarded"`
		Unguarded int            `json:"unguarded"`
		Present   []ControlCount `json:"present"`
		Missing   []ControlCount `json:"missing"`
	}
	jsonActor struct {
		Actor    string      `json:"actor"`
		Starts   int         `json:"starts"`
		Findings int         `json:"findings"`
		Worst    string      `json:"worst,omitempty"`
		Entries  []jsonEntry `json:"entry_points"`
	}
	jsonEntry struct {
		Vertex         graph.Key `json:"vertex"`
		Technique      string    `json:"technique,omitempty"`
		Ports          []string  `json:"ports,omitempty"`
		Missing        []string  `json:"missing,omitempty"`
		Findings       int       `json:"findings"`
		Worst          string    `json:"worst,omitempty"`
		Targets        int       `json:"targets"`
		InternetFacing bool      `json:"internet_facing,omitempty"`
	}
	jsonTarget struct {
		Target   graph.Key `json:"target"`
		Why      string    `json:"why"`
		Impact   int       `json:"impact"`
		Actors   []string  `json:"reached_by"`
		Cost     *float64  `json:"cost,omitempty"`
		Findings int       `json:"findings"`
		Worst    string    `json:"worst,omitempty"`
	}
	jsonCause struct {
		Control  string `json:"control"`
		Rule     string `json:"rule"`
		Object   string `json:"object"`
		Severity string `json:"severity"`
		Findings int    `json:"findings"`
		Fix      string `json:"fix"`
		Snippet  string `json:"snippet,omitempty"`
	}
	jsonPersistence struct {
		From      graph.Key        `json:"from"`
		To        graph.Key        `json:"to"`
		Technique graph.Technique  `json:"technique"`
		Crosses   string           `json:"crosses"`
		Actor     string           `json:"reachable_by,omitempty"`
		Cost      *float64         `json:"cost,omitempty"`
		Evidence  []graph.Evidence `json:"evidence,omitempty"`
	}
	jsonChoke struct {
		Vertex  graph.Key   `json:"vertex"`
		Targets []graph.Key `json:"targets"`
		CutOff  int         `json:"cut_off"`
		Closes  int         `json:"closes"`
	}
	jsonFix struct {
		Control string `json:"control"`
		Closes  int    `json:"closes"`
		Remain  int    `json:"remain"`
		Fix     string `json:"fix"`
		Snippet string `json:"snippet,omitempty"`
	}
)

// WriteJSON writes the review as JSON (ReviewSchema), indented, in the
// document's order; lists that the Markdown cuts short are whole here.
func (r *Review) WriteJSON(w io.Writer) error {
	out := jsonReview{Schema: ReviewSchema, Title: r.Title, Scope: jsonScope{Sources: orEmpty(r.Scope.Sources)},
		Inventory: []jsonCluster{}, Boundaries: []jsonBoundary{}, Actors: []jsonActor{}, Targets: []jsonTarget{},
		Paths: []Finding{}, Causes: []jsonCause{}, Persistence: []jsonPersistence{},
		Chokes: []jsonChoke{}, Fixes: []jsonFix{}}
	out.Scope.Clusters = []jsonClusterScope{}
	for _, c := range r.Scope.Clusters {
		out.Scope.Clusters = append(out.Scope.Clusters, jsonClusterScope{Name: c.Name, Objects: c.Objects,
			Skipped: orEmpty(c.Skipped), Gaps: orEmpty(c.Gaps), Problems: orEmpty(c.Problems)})
	}
	for _, c := range r.Inventory.Clusters {
		jc := jsonCluster{Name: c.Name, Nodes: []jsonNode{}, Namespaces: []jsonNamespace{}, Workloads: c.Workloads,
			Containers: c.Containers, ServiceAccounts: c.ServiceAccounts, Users: c.Users, Groups: c.Groups,
			Secrets: c.Secrets, Services: c.Services, Ingresses: c.Ingresses, MountedTokens: c.MountedTokens, Agents: []jsonAgent{}}
		for _, n := range c.Nodes {
			jc.Nodes = append(jc.Nodes, jsonNode{n.Key, n.Prop("kubelet"), n.Prop("os")})
		}
		for _, n := range c.Namespaces {
			jc.Namespaces = append(jc.Namespaces, jsonNamespace(n))
		}
		for _, a := range c.Agents {
			jc.Agents = append(jc.Agents, jsonAgent{a.Workload.Key, a.Image, a.Role})
		}
		out.Inventory = append(out.Inventory, jc)
	}
	res := r.Result
	out.Summary = jsonSummary{Findings: len(res.Findings), Causes: len(res.Causes)}
	for _, f := range res.Findings {
		switch f.Severity {
		case analysis.Critical:
			out.Summary.Critical++
		case analysis.High:
			out.Summary.High++
		case analysis.Medium:
			out.Summary.Medium++
		case analysis.Low:
			out.Summary.Low++
		}
	}
	for _, b := range r.Boundaries {
		out.Boundaries = append(out.Boundaries, jsonBoundary{Boundary: b.Boundary.String(), Steps: b.Steps,
			Guarded: b.Guarded, Unguarded: b.Unguarded, Present: orEmpty(b.Present), Missing: orEmpty(b.Offenders)})
	}
	for _, a := range r.Actors {
		ja := jsonActor{Actor: a.Kind.String(), Starts: a.Starts, Findings: a.Findings, Worst: sevJSON(a.Worst), Entries: []jsonEntry{}}
		for _, e := range a.Entries {
			je := jsonEntry{Vertex: e.Vertex.Key, Findings: e.Findings, Worst: sevJSON(e.Worst), Targets: e.Targets,
				InternetFacing: e.InternetFacing}
			if e.Step != nil {
				je.Technique, je.Ports, je.Missing = string(e.Step.Technique), e.Step.Ports, e.Step.Missing
			}
			ja.Entries = append(ja.Entries, je)
		}
		out.Actors = append(out.Actors, ja)
	}
	for _, t := range r.Targets {
		jt := jsonTarget{Target: t.Vertex.Key, Why: t.Why, Impact: int(t.Impact), Actors: []string{}, Findings: t.Findings,
			Worst: sevJSON(t.Worst)}
		if t.Reached() {
			c := t.Cost
			jt.Cost = &c
		}
		for _, a := range t.Actors {
			jt.Actors = append(jt.Actors, a.String())
		}
		out.Targets = append(out.Targets, jt)
	}
	for _, f := range r.Paths {
		out.Paths = append(out.Paths, FindingJSON(f))
	}
	for _, c := range res.Causes {
		worst := c.Findings[0]
		out.Causes = append(out.Causes, jsonCause{Control: c.Control, Rule: RuleOf(c.Control).ID,
			Object: FaultObject(c.Control, worst.Path.Steps[worst.Crossing.Step]), Severity: c.Severity.String(),
			Findings: len(c.Findings), Fix: c.Fix.Summary, Snippet: c.Fix.Snippet})
	}
	// Every finding's path in full would repeat each step's evidence many
	// times over; the top paths above have it, the graph JSON has every
	// step's. The findings are most of the document: each is encoded only
	// as it is written.
	out.Findings = jsonstream.Map(res.Findings, func(f *analysis.Finding) Finding {
		jf := FindingJSON(f)
		for i := range jf.Path.Steps {
			jf.Path.Steps[i].Evidence, jf.Path.Steps[i].Note = nil, ""
		}
		return jf
	})
	for _, p := range r.Persistence {
		jp := jsonPersistence{From: p.Edge.F.Key, To: p.Edge.T.Key, Technique: p.Edge.Technique,
			Crosses: p.Boundary.String(), Evidence: p.Edge.Evidence}
		if p.Reachable && !math.IsInf(p.Cost, 1) {
			c := p.Cost
			jp.Actor, jp.Cost = p.Actor.String(), &c
		}
		out.Persistence = append(out.Persistence, jp)
	}
	for _, c := range r.Chokes {
		jc := jsonChoke{Vertex: c.Vertex.Key, Targets: []graph.Key{}, CutOff: c.CutOff, Closes: c.Closes}
		for _, t := range c.Targets {
			jc.Targets = append(jc.Targets, t.Key)
		}
		out.Chokes = append(out.Chokes, jc)
	}
	for _, f := range r.Fixes {
		out.Fixes = append(out.Fixes, jsonFix{f.Control, f.Closes, f.Remain, f.Remedy.Summary, f.Remedy.Snippet})
	}
	return jsonstream.Encode(w, out, "", "  ", out.Findings)
}

func sevJSON(s analysis.Severity) string {
	if s == 0 {
		return ""
	}
	return s.String()
}

// orEmpty keeps a nil list from encoding as null.
func orEmpty[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}

func encode(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
