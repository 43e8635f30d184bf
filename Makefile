# trustpath — see README.md. Every target works on a fresh clone with Go 1.26.
GO        ?= go
BIN       := bin/trustpath
STATICCHECK_VERSION := v0.8.2

.PHONY: build test testbin lint demo scan htmlcheck bench bench-stages bench-units golden fuzz clean

build:
	$(GO) build -o $(BIN) ./cmd/trustpath

# The live-cluster tests run against a real kube-apiserver and etcd built
# from the Go module proxy and cached outside the tree (see testbin); when
# they cannot be built the tests skip and say so. SKIP_APISERVER=1 skips the
# build.
test:
	@if [ -z "$(SKIP_APISERVER)" ]; then testdata/kube-apiserver/build.sh || \
		echo "make test: could not build kube-apiserver and etcd; the tests against a real API server will skip" >&2; fi
	$(GO) test ./...

# kube-apiserver and etcd for the tests, in $${TRUSTPATH_TESTBIN:-~/.cache/trustpath/kube-apiserver-v1.37.2}:
# ~6 minutes and ~3 GB of Go build cache cold on 2 cores, seconds when cached.
testbin:
	testdata/kube-apiserver/build.sh

# gofmt, go vet and staticcheck (fetched from the Go module proxy on first use).
lint:
	@unformatted=$$(gofmt -l .); \
	if [ -n "$$unformatted" ]; then echo "gofmt wants to change:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) ./...

demo: build
	./$(BIN) demo

# What a CI job runs on a directory of manifests: SARIF for code scanning,
# then exit 1 when a finding is high or critical.
DEPLOY ?= testdata/demo/prod
scan: build
	mkdir -p trustpath-out
	./$(BIN) report -f $(DEPLOY) -o trustpath-out/results.sarif --fail-on high

# Render the HTML review in headless Chromium (Debian: apt-get install
# chromium); the test skips when there is no Chromium.
htmlcheck:
	$(GO) test ./cmd/trustpath -run TestReportHTMLInChromium -count=1 -v

# Benchmarks (BENCHMARKS.md). bench-stages runs every pipeline stage on
# synthetic estates of BENCH_PODS pods (collectors/bench_test.go), each
# estate generated once; stages slower than the benchtime run once.
# bench-units runs the packages' own micro-benchmarks, one package at a
# time so they do not share the two cores. CPU and memory profiles of the
# stages: make bench-stages BENCH_FLAGS='-cpuprofile cpu.out -memprofile mem.out',
# then go tool pprof -tagfocus stage=analyze collectors.test cpu.out.
BENCH_PODS  ?= 1000,10000,50000
BENCHTIME   ?= 1s
BENCH       ?= .
BENCH_FLAGS ?=
bench: bench-stages bench-units

bench-stages:
	TRUSTPATH_BENCH_PODS=$(BENCH_PODS) $(GO) test -run '^$$' -bench '$(BENCH)' -benchmem \
		-benchtime $(BENCHTIME) -timeout 0 $(BENCH_FLAGS) ./collectors

bench-units:
	$(GO) test -p 1 -run '^$$' -bench . -benchmem $$($(GO) list ./... | grep -v '/collectors$$')

# Regenerate golden files in the packages that use graphtest, then show
# what changed for review.
GOLDEN_PKGS = $$($(GO) list -f '{{.ImportPath}} {{join .TestImports " "}} {{join .XTestImports " "}}' ./... \
	| awk '{for (i = 2; i <= NF; i++) if ($$i ~ /\/graphtest$$/) { print $$1; break }}')
golden:
	$(GO) test $(GOLDEN_PKGS) -update
	git diff --stat -- testdata/

# Fuzz every target in collectors/manifest (go test -list finds them) for
# FUZZTIME each, one after another: go test fuzzes one target at a time.
# A failing input is written under collectors/manifest/testdata/fuzz.
FUZZTIME ?= 20s
FUZZ_TARGETS = $$($(GO) test ./collectors/manifest -list '^Fuzz' | grep '^Fuzz')
fuzz:
	@set -e; for f in $(FUZZ_TARGETS); do \
		echo "make fuzz: $$f for $(FUZZTIME)"; \
		$(GO) test ./collectors/manifest -run '^$$' -fuzz "^$$f\$$" -fuzztime $(FUZZTIME); \
	done

clean:
	rm -rf bin trustpath-out
