# Two commands work on a fresh machine: `make demo` and `make test`. Each sets up what it needs.
VENV ?= .venv
PY := $(VENV)/bin/python
GRIDGRAPH := $(VENV)/bin/gridgraph
OUT ?= out
SAMPLE := loaders/sample_data
SYSTEM_PACKAGES := chromium chromium-driver fonts-noto-cjk

.PHONY: demo test test-fast bench system-deps venv lint-deps clean neo4j-jars neo4j-up neo4j-down mutate regen

# A real Neo4j 5.26 Community server from its Maven Central jars (tools/neo4j); no Docker.
NEO4J_DIR := tools/neo4j
NEO4J_PORT ?= 7687
NEO4J_HOME ?= $(CURDIR)/.neo4j-$(NEO4J_PORT)
# Sized for a city (about 1 GB of store) on a 2-core, 24 GB machine; docs/neo4j.md gives a province's.
NEO4J_HEAP ?= 2g
NEO4J_PAGECACHE ?= 1g

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

# The bundled sample (one community) end to end, then a generated county for the overview. Asked on
# the sample's own date, so the figures are those of its ground_truth.json; one screen of output.
AS_OF ?= 2026-06-30
demo: venv
	mkdir -p $(OUT)
	$(GRIDGRAPH) validate $(SAMPLE)
	$(GRIDGRAPH) load $(SAMPLE) -o $(OUT)/sample.snapshot
	$(GRIDGRAPH) audit coverage $(OUT)/sample.snapshot --as-of $(AS_OF) --summary
	$(GRIDGRAPH) audit all $(OUT)/sample.snapshot --as-of $(AS_OF) --format xlsx -o $(OUT)/audit.xlsx
	$(GRIDGRAPH) view community 371327165001 $(OUT)/sample.snapshot --as-of $(AS_OF) -o $(OUT)/community.html
	$(GRIDGRAPH) view overview all $(OUT)/sample.snapshot --as-of $(AS_OF) -o $(OUT)/overview.html
	$(GRIDGRAPH) sample $(OUT)/county-ledgers --scale county --seed 7 --overwrite > $(OUT)/county-sample.log
	tail -n 1 $(OUT)/county-sample.log
	$(GRIDGRAPH) load $(OUT)/county-ledgers -o $(OUT)/county.snapshot
	$(GRIDGRAPH) view overview all $(OUT)/county.snapshot --rate C1 --as-of $(AS_OF) -o $(OUT)/county-overview.html
	@echo "Open $(OUT)/audit.xlsx, $(OUT)/community.html and $(OUT)/county-overview.html"

neo4j-jars: $(NEO4J_DIR)/lib/.fetched
$(NEO4J_DIR)/lib/.fetched: $(NEO4J_DIR)/pom.xml
	cd $(NEO4J_DIR) && mvn -q -B dependency:copy-dependencies -DoutputDirectory=lib -DincludeScope=runtime
	touch $@

neo4j-up: venv neo4j-jars
	@PYTHON=$(PY) $(NEO4J_DIR)/server.sh up $(NEO4J_HOME) $(NEO4J_PORT) $(NEO4J_HEAP) $(NEO4J_PAGECACHE)

neo4j-down:
	@$(NEO4J_DIR)/server.sh down $(NEO4J_HOME) $(NEO4J_PORT)

# The live Neo4j suite runs between neo4j-up and neo4j-down; the trap stops the server even when a
# test fails. Without Java or Maven the live suite skips and says why.
test: venv lint-deps system-deps
	@if command -v java >/dev/null && command -v mvn >/dev/null; then \
	  trap '$(MAKE) -s neo4j-down' EXIT; \
	  $(MAKE) -s neo4j-up && \
	  NEO4J_URI=bolt://127.0.0.1:$(NEO4J_PORT) GRIDGRAPH_LIVE_NEO4J=required GRIDGRAPH_CYPHER_LINT=required \
	    $(PY) -m pytest -q -rs; \
	else \
	  echo "note: Java or Maven missing: the live Neo4j suite will skip (install a JDK 17 and Maven)"; \
	  GRIDGRAPH_NO_NEO4J_REASON="Java or Maven not installed, so make test started no Neo4j server" \
	    GRIDGRAPH_CYPHER_LINT=required $(PY) -m pytest -q -rs; \
	fi

test-fast: venv lint-deps
	GRIDGRAPH_CYPHER_LINT=required $(PY) -m pytest -q -rs -m "not slow"

# Rewrite every generated file (docs, report layouts, the bundled sample, the README's outputs);
# tests/test_regen.py fails while any is stale. Then the views' screenshots (headless Chromium;
# pixels differ between machines, so no test compares them: look at them).
regen: venv system-deps
	$(PY) tools/regen.py
	$(PY) tools/view_screenshots.py

clean:
	rm -rf $(OUT) .pytest_cache

# Mutation testing, too slow for every run (hours on two cores): mutmut over the modules of the
# [mutmut] section of setup.cfg, driven by the fast suite; then every comparison flip in the
# questions' Cypher against a live server (benchmarks/mutate_cypher.py). Writes benchmarks/MUTATION.md.
MUTMUT_CHILDREN ?= 2
mutate: venv neo4j-jars
	$(PY) -m pip install -q -e '.[test,mutate]'
	rm -rf mutants
	$(VENV)/bin/mutmut run --max-children $(MUTMUT_CHILDREN) || true
	@trap '$(MAKE) -s neo4j-down' EXIT; \
	  $(MAKE) -s neo4j-up && NEO4J_URI=bolt://127.0.0.1:$(NEO4J_PORT) $(PY) benchmarks/mutate_cypher.py
	$(PY) benchmarks/mutation_report.py
