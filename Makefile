# trustpath — see README.md. Every target works on a fresh clone with Go 1.26.
GO        ?= go
BIN       := bin/trustpath
STATICCHECK_VERSION := v0.8.2

.PHONY: build test lint demo bench golden fuzz clean

build:
	$(GO) build -o $(BIN) ./cmd/trustpath

test:
	$(GO) test ./...

# gofmt, go vet and staticcheck (fetched from the Go module proxy on first use).
lint:
	@unformatted=$$(gofmt -l .); \
	if [ -n "$$unformatted" ]; then echo "gofmt wants to change:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) ./...

demo: build
	./$(BIN) demo

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

# Regenerate golden files in the packages that use graphtest, then show
# what changed for review.
GOLDEN_PKGS = $$($(GO) list -f '{{.ImportPath}} {{join .TestImports " "}} {{join .XTestImports " "}}' ./... \
	| awk '{for (i = 2; i <= NF; i++) if ($$i ~ /\/graphtest$$/) { print $$1; break }}')
golden:
	$(GO) test $(GOLDEN_PKGS) -update
	git diff --stat -- testdata/

fuzz:
	$(GO) test ./collectors/manifest -run '^$$' -fuzz FuzzDecode -fuzztime 30s

clean:
	rm -rf bin trustpath-out
