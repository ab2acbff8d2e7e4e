# Everything a fresh machine needs comes from here: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# torch is pinned to the CPU build that lies on these machines; a bare `torch` pulls CUDA (GBs).
TORCH := torch==2.13.0
# llama-cpp-python compiles from source (~10 min on 2 cores) on the first install; pip keeps the
# built wheel in its cache (~/.cache/pip), so later installs take seconds.
export CMAKE_BUILD_PARALLEL_LEVEL ?= $(shell nproc)
export HF_HUB_OFFLINE := 1
# OCR of scanned PDF pages and images runs Debian's Tesseract, installed with the venv (English;
# more languages are tesseract-ocr-<lang> packages, chosen with RAG_OCR_LANGS).
TESSERACT := /usr/bin/tesseract
OCR_PACKAGES := tesseract-ocr tesseract-ocr-eng
# WordNet 3.0 bridges paraphrase in the answer stage ("guarantee" finds "warranty"); Debian's
# package lacks the `lexnames` file nltk reads, so it is written beside the data.
WORDNET := /usr/share/wordnet

API_PORT ?= 8000
UI_PORT ?= 8501

.PHONY: install install-dev run test test-unit test-integration test-long test-mutation lint bench screenshots \
	bench-long clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python $(TESSERACT) $(WORDNET)/index.noun
	$(BIN)/pip install $(TORCH)
	$(BIN)/pip install -e .
	[ -f $(WORDNET)/lexnames ] || $(BIN)/python -m rag.answer.synonyms --lexnames \
		| $(SUDO) tee $(WORDNET)/lexnames >/dev/null
	touch $@

# The browser tests drive Debian's Chromium (Playwright's own browser download needs the internet).
CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT := $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get

$(CHROMIUM):
	$(APT) install -y -qq --no-install-recommends chromium \
		|| ($(APT) update -qq && $(APT) install -y -qq --no-install-recommends chromium)

$(WORDNET)/index.noun:
	$(APT) install -y -qq --no-install-recommends wordnet-base \
		|| ($(APT) update -qq && $(APT) install -y -qq --no-install-recommends wordnet-base)

$(TESSERACT):
	$(APT) install -y -qq --no-install-recommends $(OCR_PACKAGES) \
		|| ($(APT) update -qq && $(APT) install -y -qq --no-install-recommends $(OCR_PACKAGES))

# The source-sync tests start real servers: Dovecot (IMAP, run unprivileged from a temp config)
# and `git daemon`; WsgiDAV and moto come from PyPI with the dev extras.
SOURCE_SERVERS := /usr/sbin/dovecot /usr/bin/git

/usr/sbin/dovecot:
	$(APT) install -y -qq --no-install-recommends dovecot-imapd \
		|| ($(APT) update -qq && $(APT) install -y -qq --no-install-recommends dovecot-imapd)

/usr/bin/git:
	$(APT) install -y -qq --no-install-recommends git \
		|| ($(APT) update -qq && $(APT) install -y -qq --no-install-recommends git)

$(VENV)/.installed-dev: $(VENV)/.installed | $(CHROMIUM) $(SOURCE_SERVERS)
	$(BIN)/pip install -e '.[dev]'
	touch $@

# The example plugin distributions (docs/PLUGINS.md), installed as real distributions so the
# tests find them through their entry points.
EXAMPLES := examples/rag-feed-connector examples/rag-currency-tool
$(VENV)/.installed-examples: $(VENV)/.installed-dev $(addsuffix /pyproject.toml,$(EXAMPLES))
	$(BIN)/pip install --no-deps $(addprefix -e ,$(EXAMPLES))
	touch $@

$(VENV)/.installed-bench: $(VENV)/.installed
	$(BIN)/pip install -e '.[bench]'
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

run: install
	$(BIN)/rag ingest sample_docs
	@echo "Starting the API on http://127.0.0.1:$(API_PORT) and the UI on http://127.0.0.1:$(UI_PORT)"
	@RAG_API_PORT=$(API_PORT) $(BIN)/rag serve & api=$$!; \
	trap 'kill $$api 2>/dev/null' EXIT INT TERM; \
	for i in $$(seq 1 120); do \
		$(BIN)/python -c "import urllib.request as u; u.urlopen('http://127.0.0.1:$(API_PORT)/health', timeout=2)" 2>/dev/null && break; \
		kill -0 $$api 2>/dev/null || exit 1; sleep 1; \
	done; \
	RAG_API_URL=http://127.0.0.1:$(API_PORT) STREAMLIT_SERVER_PORT=$(UI_PORT) $(BIN)/rag ui

test: install-dev $(VENV)/.installed-examples
	$(BIN)/ruff check .
	$(BIN)/pytest

test-unit: install-dev $(VENV)/.installed-examples
	$(BIN)/pytest tests/unit

test-integration: install-dev $(VENV)/.installed-examples
	$(BIN)/pytest tests/integration

# The README's screenshots (docs/screenshots/), retaken by the Chromium tests; `make test` saves
# them in a temporary folder instead, leaving the checkout as it was.
screenshots: install-dev $(VENV)/.installed-examples
	RAG_TEST_SCREENSHOTS=$(CURDIR)/docs/screenshots $(BIN)/pytest tests/integration/test_ui_browser.py \
		tests/integration/test_ui_browser_stop.py tests/integration/test_view_browser.py \
		tests/integration/test_sources_browser.py tests/integration/test_plugin_browser.py \
		tests/integration/test_examples_real.py

bench: $(VENV)/.installed-bench
	$(BIN)/python -m bench.run_all default

# Long variants: 100,000 and a million chunks in the store, ingest memory on a 50 MB folder,
# embedder backends, LoRA switch cost, answers on PhantomWiki (about 40 min).
bench-long: $(VENV)/.installed-bench
	$(BIN)/python -m bench.run_all long

# Every hostile-input, crash and load test, the long variants included (50 server kills, 8 clients
# for 2 minutes: about 15 min); writes the reliability table of docs/BENCHMARKS.md.
test-long: install-dev
	RELIABILITY_REPORT=$(CURDIR)/.reliability.json $(BIN)/pytest -m "long or not long" \
		tests/hostile tests/integration/test_kill.py
	$(BIN)/pytest -m long tests/integration/test_tables_real.py tests/integration/test_source_schedule_real.py
	$(BIN)/python -m bench.reliability .reliability.json

# Mutation testing of the modules that guard users (calculator, tool routing, path confinement,
# keys and callers, web addresses, answer verification), each against the unit tests that cover
# it, in scratch copies under .mutation/ (about 16 min on 2 cores; scores in docs/BENCHMARKS.md).
# `make test-mutation MODULES=calculator` runs one; tests/mutation.py lists the names.
test-mutation: install-dev
	nice -n 10 $(BIN)/python -m tests.mutation $(MODULES)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info
