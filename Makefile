# Two commands work on a fresh machine: `make demo` and `make test`. Each sets up what it needs.
VENV ?= .venv
PY := $(VENV)/bin/python
GRIDGRAPH := $(VENV)/bin/gridgraph
OUT ?= out
SAMPLE := loaders/sample_data
SYSTEM_PACKAGES := chromium chromium-driver fonts-noto-cjk

.PHONY: demo test test-fast bench system-deps venv lint-deps clean

venv: $(VENV)/.installed
$(VENV)/.installed: setup.cfg pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

lint-deps: tools/cypher-lint/node_modules/.installed
tools/cypher-lint/node_modules/.installed: tools/cypher-lint/package-lock.json
	npm ci --prefix tools/cypher-lint --no-audit --no-fund --loglevel=error
	touch $@

# Headless Chromium and CJK fonts for the view tests; installed when root, else say what is missing.
system-deps:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	  else echo "note: missing Debian packages ($$missing); browser tests will be skipped"; fi; \
	fi

# The bundled sample (one community) end to end, then a generated county for the overview.
demo: venv
	mkdir -p $(OUT)
	$(GRIDGRAPH) validate $(SAMPLE)
	$(GRIDGRAPH) load $(SAMPLE) -o $(OUT)/sample.snapshot.json.gz
	$(GRIDGRAPH) stats $(OUT)/sample.snapshot.json.gz
	$(GRIDGRAPH) audit coverage $(OUT)/sample.snapshot.json.gz
	$(GRIDGRAPH) audit all $(OUT)/sample.snapshot.json.gz --format xlsx -o $(OUT)/audit.xlsx
	$(GRIDGRAPH) view community 371327001001 $(OUT)/sample.snapshot.json.gz -o $(OUT)/community.html
	$(GRIDGRAPH) view overview all $(OUT)/sample.snapshot.json.gz -o $(OUT)/overview.html
	$(GRIDGRAPH) sample $(OUT)/county-ledgers --scale county --seed 7 --overwrite
	$(GRIDGRAPH) load $(OUT)/county-ledgers -o $(OUT)/county.snapshot.json.gz
	$(GRIDGRAPH) view overview all $(OUT)/county.snapshot.json.gz --rate C1 -o $(OUT)/county-overview.html
	@echo "Open $(OUT)/audit.xlsx, $(OUT)/community.html and $(OUT)/county-overview.html"

test: venv lint-deps system-deps
	$(PY) -m pytest -q -rs

test-fast: venv lint-deps
	$(PY) -m pytest -q -rs -m "not slow"

clean:
	rm -rf $(OUT) .pytest_cache
