# Every target runs inside .venv; the first run creates it, later runs reuse it and reinstall only
# when pyproject.toml changed.
.DEFAULT_GOAL := help
.PHONY: help annexes mau nhap-word soat-bao-cao test quick lint synth bench bench-nhan bench-qua-trang soak hinh release clean

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

# the command a message tells to run again, for the targets that run the command
annexes mau nhap-word: export BIEU_RERUN = make annexes

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

## help: list the targets
help:
	@grep -E '^## ' $(MAKEFILE_LIST) | sed -e 's/^##     /        /' -e 's/^## /  make /'

## annexes: read raw/, check it, and build output/ (the main job)
annexes: $(STAMP)
	@$(BIN)/python -m pipeline annexes

## mau: write a blank workbook for a commune, raw/<province>/<code>.xlsx, never over a file:
##     MA=<code> TEN='<name>' TINH='<province>' LOAI=truoc|sau|giu (old, new, kept as it is)
##     [BIEU=01] (its Biểu số; a new commune's is counted) [XA_HOP_THANH='ma1, ma2=Tên 2'] (new)
mau: $(STAMP)
	@$(BIN)/python -m pipeline mau --ma-xa "$(MA)" --ten "$(TEN)" --tinh "$(TINH)" \
		--loai "$(LOAI)" --bieu-so "$(BIEU)" --xa-hop-thanh "$(XA_HOP_THANH)"

## nhap-word: import a report's annex table(s) from Word into a draft workbook in raw/:
##     TEP=<report.docx> MA=<code> TEN='<name>' TINH='<province>'
##     [BIEU=02] (which table, where there are several; BIEU='01 02' for a kept commune)
##     [XA_HOP_THANH='ma1, ma2'] (for a new commune's targets)
##     [GHI_DE=1] (replace the commune's earlier draft)
nhap-word: $(STAMP)
	@$(BIN)/python -m pipeline nhap-word "$(TEP)" --ma-xa "$(MA)" --ten "$(TEN)" \
		--tinh "$(TINH)" --xa-hop-thanh "$(XA_HOP_THANH)" $(foreach b,$(BIEU),--bieu "$(b)") \
		$(if $(GHI_DE),--ghi-de)

## soat-bao-cao: check a committee's own Word report against raw/ and arithmetic; a copy with
##     a comment on each disagreement goes to soat_bao_cao/: TEP=<report.docx> [MA=<new commune>]
soat-bao-cao: $(STAMP)
	@$(BIN)/python -m pipeline soat-bao-cao "$(TEP)" --ma-xa "$(MA)"

## test: lint, then run the test suite
test: lint
	@$(BIN)/python -m pytest -q

## quick: the tests to run while working: all but the slow kinds docs/tests.md lists
quick: $(STAMP)
	@$(BIN)/python -m pytest -q --quick -n auto

## lint: ruff check and format check
lint: $(STAMP)
	@$(BIN)/ruff check pipeline schemas tools tests
	@$(BIN)/ruff format --check pipeline schemas tools tests

## synth: generate a synthetic province and country under build/synth/
synth: $(STAMP)
	@$(BIN)/python -m tools.synth --size tinh --out build/synth/tinh-2025
	@$(BIN)/python -m tools.synth --size ca-nuoc --out build/synth/ca-nuoc-2025

## bench: measure the seed, a province and the country; write BENCHMARKS.md
bench: $(STAMP)
	@$(BIN)/python -m tools.bench

## bench-nhan: measure the intake page (part of bench): its checks in one process, then the real
##     server over HTTP on 127.0.0.1 (75 communes at once, one alone, a rebuild); its sections of
##     BENCHMARKS.md
bench-nhan: $(STAMP)
	@$(BIN)/python -m tools.bench nhan

## bench-qua-trang: the synthetic province filled entirely through the page over HTTP, its
##     outputs compared byte for byte with bieu annexes (part of bench; about 10 minutes)
bench-qua-trang: $(STAMP)
	@$(BIN)/python -m tools.bench qua-trang

## soak: kill the run at random moments and check each next run equals a fresh one; then 200
##     random edits, each run incrementally and compared with a fresh run (slow)
soak: $(STAMP)
	@$(BIN)/python -m tools.soak --times 50
	@$(BIN)/python -m tools.edits --times 200

## hinh: pictures of every printed product and of the intake pages for HUONG_DAN.md, in
##     docs/hinh/ (needs LibreOffice; the pages need chromium and chromium-driver)
hinh: $(STAMP)
	@$(BIN)/python -m tools.hinh

## release: the package for the province's IT, a dated folder and zip in build/release/: the
##     wheel, HUONG_DAN.pdf, the catalogue, the sample record, install scripts (needs LibreOffice)
release: $(STAMP)
	@$(BIN)/python -m tools.release

## clean: remove the virtual environment and built outputs
clean:
	rm -rf $(VENV) build output/*
