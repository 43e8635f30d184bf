package reporttest

import (
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"testing"
)

// SARIF checks a SARIF 2.1.0 log as the OASIS schema and GitHub code
// scanning read it: version and runs; a driver with rules that have ids,
// names, descriptions, help text and a help URI; results whose ruleId and
// ruleIndex name a rule, with a level, a message, fingerprints and at least
// one location. With located, every result must point at a file and line,
// as code-scanning UIs need to annotate it. Properties outside the schema
// fail, so a typo cannot slip through.
func SARIF(t testing.TB, data []byte, located bool) {
	t.Helper()
	c := checker{t}
	log := c.obj("$", decode(t, data), []string{"version", "runs"}, "$schema")
	if log["version"] != "2.1.0" {
		c.errorf("$.version", "got %v, want 2.1.0", log["version"])
	}
	for i, r := range c.arr("$.runs", log["runs"], 1) {
		rp := fmt.Sprintf("$.runs[%d]", i)
		run := c.obj(rp, r, []string{"tool"}, "results", "columnKind", "invocations", "originalUriBaseIds", "properties")
		tool := c.obj(rp+".tool", run["tool"], []string{"driver"})
		driver := c.obj(rp+".tool.driver", tool["driver"], []string{"name"}, "informationUri", "version", "rules", "semanticVersion")
		c.str(rp+".tool.driver.name", driver["name"])
		var ids []string
		for j, rv := range c.arr(rp+".tool.driver.rules", driver["rules"], 0) {
			p := fmt.Sprintf("%s.tool.driver.rules[%d]", rp, j)
			rule := c.obj(p, rv, []string{"id", "name", "shortDescription", "fullDescription", "help", "helpUri"},
				"defaultConfiguration", "properties")
			id := c.str(p+".id", rule["id"])
			if slices.Contains(ids, id) {
				c.errorf(p+".id", "rule id %q is not unique", id)
			}
			ids = append(ids, id)
			c.message(p+".shortDescription", rule["shortDescription"])
			c.message(p+".fullDescription", rule["fullDescription"])
			c.message(p+".help", rule["help"])
			if u, err := url.Parse(c.str(p+".helpUri", rule["helpUri"])); err != nil || !u.IsAbs() {
				c.errorf(p+".helpUri", "want an absolute URI, got %v", rule["helpUri"])
			}
			if dc, ok := rule["defaultConfiguration"]; ok {
				conf := c.obj(p+".defaultConfiguration", dc, nil, "level", "enabled", "rank")
				checkLevel(c, p+".defaultConfiguration.level", conf["level"])
			}
			if pv, ok := rule["properties"]; ok {
				props := c.obj(p+".properties", pv, nil, "tags", "precision", "problem.severity", "security-severity")
				if s, ok := props["security-severity"].(string); ok && !regexp.MustCompile(`^\d+(\.\d+)?$`).MatchString(s) {
					c.errorf(p+".properties.security-severity", "want a number as a string, got %q", s)
				}
			}
		}
		for j, rv := range c.arr(rp+".results", run["results"], 0) {
			p := fmt.Sprintf("%s.results[%d]", rp, j)
			res := c.obj(p, rv, []string{"ruleId", "message", "locations"}, "ruleIndex", "level", "codeFlows",
				"partialFingerprints", "properties", "relatedLocations", "fingerprints")
			id := c.str(p+".ruleId", res["ruleId"])
			if !slices.Contains(ids, id) {
				c.errorf(p+".ruleId", "%q names no rule of the driver", id)
			}
			if ix, ok := res["ruleIndex"].(json.Number); ok {
				if n, err := ix.Int64(); err != nil || n < 0 || int(n) >= len(ids) || ids[n] != id {
					c.errorf(p+".ruleIndex", "%v does not index rule %q", ix, id)
				}
			}
			checkLevel(c, p+".level", res["level"])
			c.message(p+".message", res["message"])
			if fp, ok := res["partialFingerprints"].(object); !ok || len(fp) == 0 {
				c.errorf(p+".partialFingerprints", "want fingerprints, so code scanning tracks the result across runs")
			}
			for k, lv := range c.arr(p+".locations", res["locations"], 1) {
				checkLocation(c, fmt.Sprintf("%s.locations[%d]", p, k), lv, located)
			}
			if cf, ok := res["codeFlows"]; ok {
				for k, fv := range c.arr(p+".codeFlows", cf, 1) {
					fp := fmt.Sprintf("%s.codeFlows[%d]", p, k)
					flow := c.obj(fp, fv, []string{"threadFlows"}, "message")
					for m, tv := range c.arr(fp+".threadFlows", flow["threadFlows"], 1) {
						tp := fmt.Sprintf("%s.threadFlows[%d]", fp, m)
						tf := c.obj(tp, tv, []string{"locations"})
						for n, lv := range c.arr(tp+".locations", tf["locations"], 1) {
							lp := fmt.Sprintf("%s.locations[%d]", tp, n)
							tfl := c.obj(lp, lv, []string{"location"})
							checkLocation(c, lp+".location", tfl["location"], false)
						}
					}
				}
			}
		}
	}
}

func checkLevel(c checker, path string, v any) {
	c.t.Helper()
	switch v {
	case "none", "note", "warning", "error":
	default:
		c.errorf(path, "level %v is not none, note, warning or error", v)
	}
}

func checkLocation(c checker, path string, v any, located bool) {
	c.t.Helper()
	loc := c.obj(path, v, nil, "physicalLocation", "logicalLocations", "message")
	if m, ok := loc["message"]; ok {
		c.message(path+".message", m)
	}
	pv, ok := loc["physicalLocation"]
	if !ok {
		if located {
			c.errorf(path, "no physicalLocation: the result points at no file")
		}
		if _, ok := loc["logicalLocations"]; !ok {
			c.errorf(path, "neither a physical nor a logical location")
		}
	} else {
		phys := c.obj(path+".physicalLocation", pv, []string{"artifactLocation"}, "region")
		art := c.obj(path+".physicalLocation.artifactLocation", phys["artifactLocation"], []string{"uri"}, "uriBaseId")
		if _, err := url.Parse(c.str(path+".physicalLocation.artifactLocation.uri", art["uri"])); err != nil {
			c.errorf(path+".physicalLocation.artifactLocation.uri", "not a URI reference: %v", err)
		}
		if rv, ok := phys["region"]; ok {
			region := c.obj(path+".physicalLocation.region", rv, []string{"startLine"}, "startColumn", "endLine", "endColumn")
			if n, err := region["startLine"].(json.Number).Int64(); err != nil || n < 1 {
				c.errorf(path+".physicalLocation.region.startLine", "want a line ≥ 1, got %v", region["startLine"])
			}
		} else if located {
			c.errorf(path+".physicalLocation", "no region: the result points at no line")
		}
	}
	if lv, ok := loc["logicalLocations"]; ok {
		for i, l := range c.arr(path+".logicalLocations", lv, 1) {
			ll := c.obj(fmt.Sprintf("%s.logicalLocations[%d]", path, i), l, []string{"fullyQualifiedName"}, "kind", "name")
			c.str(fmt.Sprintf("%s.logicalLocations[%d].fullyQualifiedName", path, i), ll["fullyQualifiedName"])
		}
	}
}
