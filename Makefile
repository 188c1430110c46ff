# Chekara — common tasks. The README's two commands are scripts/demo.sh and
# scripts/test.sh; these targets are for day-to-day work.

GO        ?= go
FYNETAGS  := -tags migrated_fynedo
BENCH     := $(GO) test -run '^$$' -benchmem
FUZZTIME  ?= 30s

.PHONY: all build test test-fast vet demo bench bench-mrz bench-store bench-reader \
        bench-ocr ocr-report bench-screening screening-report bench-sync bench-booth fuzz \
        screenshots

all: build

build:
	$(GO) build -o bin/bmis ./cmd/bmis
	CGO_ENABLED=0 $(GO) build -o bin/hq ./cmd/hq
	$(GO) build $(FYNETAGS) -o bin/chekara .

# Every test, with the parts they need started (what CI runs).
test:
	./scripts/test.sh

# The suite without the GUI and without the parts CI starts: seconds.
test-fast:
	$(GO) test $$($(GO) list ./... | grep -v -E '/ui($$|/)|^github.com/chekara/chekara$$')

vet:
	$(GO) vet ./...

demo:
	./scripts/demo.sh

# docs/screenshots/: the demo test (demo_test.go) works the scripted queue in
# this process on Fyne's software renderer (no display) and saves each screen.
screenshots:
	rm -f docs/screenshots/[0-9][0-9]-*.png
	CHEKARA_SCREENSHOTS=$(CURDIR)/docs/screenshots $(GO) test $(FYNETAGS) -count=1 -run '^TestDemo$$' .

# Benchmarks, one target per issue; figures go to docs/benchmarks.md.
bench: bench-mrz bench-store bench-reader bench-ocr bench-screening bench-sync bench-booth

bench-mrz:
	$(BENCH) -bench . ./app/mrz/

bench-store:
	$(BENCH) -bench . -timeout 60m ./store/ ./app/rules/

bench-reader:
	$(BENCH) -bench . ./devices/reader/

bench-ocr:
	$(BENCH) -bench . -timeout 30m ./devices/ocr/

ocr-report:
	$(GO) run ./devices/ocr/cmd/ocr-report

bench-screening:
	$(BENCH) -bench . -timeout 60m ./app/screening/

screening-report:
	$(GO) run ./app/screening/cmd/screening-report

bench-sync:
	$(BENCH) -bench . -timeout 60m ./sync/ ./hq/...

# Swipe-to-screen on 1M listed persons and 10M crossings (cached under the temp
# folder), then cold start to the sign-in screen (needs a display: Xvfb).
bench-booth:
	$(BENCH) -bench . -timeout 60m ./app/ ./booth/ ./demo/
	$(BENCH) $(FYNETAGS) -bench ColdStart -benchtime 5x .

# Runs every fuzz target for FUZZTIME each.
fuzz:
	./scripts/fuzz.sh $(FUZZTIME)
