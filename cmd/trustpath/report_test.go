package main

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/trustpath/trustpath/analysis/report/reporttest"
)

// demoFiles loads the demo from the files on disk, as two clusters.
func demoFiles() []string {
	return []string{"-f", "prod=" + testdata("demo", "prod"), "-f", "staging=" + testdata("demo", "staging")}
}

// TestReportFormats writes the review in each format and checks what a
// reader of each needs: Markdown with its diagrams beside it, HTML with them
// inline and nothing fetched, JSON in the review schema, SARIF located.
func TestReportFormats(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	md := filepath.Join(dir, "out", "review.md")
	if err := os.MkdirAll(filepath.Dir(md), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := run(t, "", append([]string{"report", "-q", "-o", md, "--top", "2"}, demoFiles()...)...); code != ExitOK {
		t.Fatalf("report -o %s: exit %d: %s", md, code, stderr)
	}
	doc := readFile(t, md)
	for _, name := range []string{"review-path-1.svg", "review-path-2.svg"} {
		if !strings.Contains(doc, "]("+name+")") {
			t.Errorf("review.md does not link %s", name)
		}
		if svg := readFile(t, filepath.Join(dir, "out", name)); !strings.Contains(svg, "<svg") {
			t.Errorf("%s is no SVG", name)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "out", "review-path-3.svg")); err == nil {
		t.Error("--top 2 drew a third path")
	}

	stdout, stderr, code := run(t, "", append([]string{"report", "-q", "-o", "md"}, demoFiles()...)...)
	if code != ExitOK {
		t.Fatalf("report -o md: exit %d: %s", code, stderr)
	}
	if strings.Contains(stdout, ".svg)") || !strings.Contains(stdout, "write the review to a file") {
		t.Error("Markdown on stdout links diagram files it cannot have written")
	}

	stdout, stderr, code = run(t, "", append([]string{"report", "-q", "-o", "html"}, demoFiles()...)...)
	if code != ExitOK {
		t.Fatalf("report -o html: exit %d: %s", code, stderr)
	}
	if n := strings.Count(stdout, "<svg"); n != 5 {
		t.Errorf("HTML holds %d inline SVGs, want 5 (the top paths)", n)
	}
	for _, banned := range []string{" src=", "<link", "<script", "@import", "url(http"} {
		if strings.Contains(stdout, banned) {
			t.Errorf("HTML holds %q: it must work offline, self-contained", banned)
		}
	}
}

func TestReportSARIF(t *testing.T) {
	t.Parallel()
	stdout, stderr, code := run(t, "", append([]string{"report", "-q", "-o", "sarif"}, demoFiles()...)...)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	reporttest.SARIF(t, []byte(stdout), true)

	var log struct {
		Runs []struct {
			Results []struct {
				RuleID     string `json:"ruleId"`
				Properties struct {
					Control string `json:"control"`
				} `json:"properties"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }    `json:"artifactLocation"`
						Region           struct{ StartLine int } `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(stdout), &log); err != nil {
		t.Fatal(err)
	}
	// Each result points at the manifest of the object to change.
	want := map[string]struct{ file, kind, name string }{
		"least-privilege RBAC: clusterrolebinding/ci-deployer (role clusterrole/ci-deployer)": {"cluster.yaml", "ClusterRoleBinding", "ci-deployer"},
		"Pod Security Admission enforce: baseline on namespace legacy":                        {"legacy.yaml", "Namespace", "legacy"},
		"privileged: false on prod:deployment/legacy/reports":                                 {"legacy.yaml", "Deployment", "reports"},
		"egress NetworkPolicy for prod:deployment/shop/api":                                   {"shop.yaml", "Deployment", "api"},
	}
	seen := 0
	for _, r := range log.Runs[0].Results {
		w, ok := want[r.Properties.Control]
		if !ok {
			continue
		}
		seen++
		loc := r.Locations[0].PhysicalLocation
		file := testdata("demo", "prod", w.file)
		if got := filepath.FromSlash(loc.ArtifactLocation.URI); got != file {
			t.Errorf("%s: located in %s, want %s", r.Properties.Control, got, file)
			continue
		}
		if line := documentLine(t, file, w.kind, w.name); loc.Region.StartLine != line {
			t.Errorf("%s: located at line %d, want %d (the %s %s)", r.Properties.Control, loc.Region.StartLine, line, w.kind, w.name)
		}
	}
	if seen != len(want) {
		t.Errorf("%d of the %d expected results found", seen, len(want))
	}
}

// documentLine returns the first content line of the YAML document in file
// that holds kind and name.
func documentLine(t *testing.T, file, kind, name string) int {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	start, n := 0, 0
	var doc []string
	flush := func() int {
		text := strings.Join(doc, "\n") + "\n"
		if strings.Contains(text, "kind: "+kind+"\n") && (strings.Contains(text, "name: "+name+"\n") || strings.Contains(text, "{name: "+name)) {
			return start
		}
		return 0
	}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		n++
		line := sc.Text()
		if line == "---" {
			if l := flush(); l > 0 {
				return l
			}
			doc, start = nil, 0
			continue
		}
		if start == 0 && strings.TrimSpace(line) != "" && !strings.HasPrefix(line, "#") {
			start = n
		}
		doc = append(doc, line)
	}
	if l := flush(); l > 0 {
		return l
	}
	t.Fatalf("%s holds no %s %s", file, kind, name)
	return 0
}

func TestReportFailOn(t *testing.T) {
	t.Parallel()
	clean := testdata("diff", "base") // two critical findings
	tests := []struct {
		args []string
		code int
	}{
		{[]string{"report", "-q", "-o", "json", "-f", clean}, ExitOK},
		{[]string{"report", "-q", "-o", "json", "-f", clean, "--fail-on", "critical"}, ExitNo},
		{[]string{"report", "-q", "-o", "json", "-f", clean, "--fail-on", "bogus"}, ExitError},
		{[]string{"report", "-q", "-o", "json", "-f", clean, "--top", "0"}, ExitError},
		{[]string{"report", "-q", "--format", "pdf", "-f", clean}, ExitError},
	}
	for _, tt := range tests {
		if _, stderr, code := run(t, "", tt.args...); code != tt.code {
			t.Errorf("trustpath %v: exit %d, want %d\n%s", tt.args, code, tt.code, stderr)
		}
	}
}

// TestReportHTMLInChromium renders the review in headless Chromium (Debian's
// chromium package) and checks the browser built the page: the sections,
// the tables and the inline diagrams. It is skipped without Chromium.
func TestReportHTMLInChromium(t *testing.T) {
	browser := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			browser = p
			break
		}
	}
	if browser == "" {
		t.Skip("no chromium on PATH (apt-get install chromium)")
	}
	t.Parallel()
	dir := t.TempDir()
	page := filepath.Join(dir, "review.html")
	if _, stderr, code := run(t, "", append([]string{"report", "-q", "-o", page}, demoFiles()...)...); code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	flags := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
		"--user-data-dir=" + filepath.Join(dir, "profile")}
	dom, err := exec.CommandContext(ctx, browser, append(flags, "--dump-dom", "file://"+page)...).Output()
	if err != nil {
		t.Fatalf("%s --dump-dom: %v", browser, err)
	}
	for _, want := range []string{"<h1>Threat model: prod and staging</h1>", `id="2-trust-boundaries"`, "<table>",
		`id="fig-path-1"`, "<svg", `class="sev sev-critical"`} {
		if !strings.Contains(string(dom), want) {
			t.Errorf("the page Chromium built lacks %s", want)
		}
	}
	shot := filepath.Join(dir, "review.png")
	if err := exec.CommandContext(ctx, browser, append(flags, "--hide-scrollbars", "--window-size=1280,2400",
		"--screenshot="+shot, "file://"+page)...).Run(); err != nil {
		t.Fatalf("%s --screenshot: %v", browser, err)
	}
	if info, err := os.Stat(shot); err != nil || info.Size() < 10_000 {
		t.Errorf("screenshot %s: %v (size %v): the page did not render", shot, err, info)
	}
}
