# Quick start: `make run` (set up and build the example) and `make test` (set up and run the tests).
PY ?= $(shell scripts/find-python.sh)
VENV := .venv
BIN := $(VENV)/bin
EXAMPLE := examples/changji-natural-resources-2023

.PHONY: run test setup test-setup accel system-deps clean bench test-browser bench-web

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.test-installed: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install -q -e '.[test,web,corpus]'
	touch $@

$(VENV)/.corpus-installed: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install -q -e '.[corpus]'
	touch $@

$(VENV)/.accel-installed: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install -q -e '.[accel]' && touch $@ || echo "未能安装 Cython：规则模块以纯 Python 运行（结果相同，只是较慢）"

# The rule modules compiled with Cython (scripts/build_accel.py, build/accel/): the same rules, a faster check.
# Incremental (a module is rebuilt when its source changed); without a C compiler it says so and the rules run
# as pure Python. YUSUAN_PURE=1 runs them as pure Python anyway.
accel: $(VENV)/.accel-installed
	$(BIN)/python scripts/build_accel.py

setup: $(VENV)/.installed accel

test-setup: $(VENV)/.test-installed accel

# Debian packages for PDF output (CJK fonts) and for the LibreOffice/PDF-page tests.
# Installed only when missing and when we are allowed to (root with apt-get).
system-deps:
	@bash scripts/system-deps.sh

run: setup system-deps
	$(BIN)/yusuan build $(EXAMPLE) -o out

test: test-setup system-deps
	$(BIN)/python -m pytest

# End-to-end tests of the web application in Debian's chromium (Playwright); screenshots in
# test-output/screenshots/. Playwright drives /usr/bin/chromium (YUSUAN_CHROMIUM): it never downloads a
# browser. With DATABASE_URL=postgres://… the server runs on a throwaway database on that server.
test-browser: test-setup system-deps
	PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 $(BIN)/pip install -q 'playwright>=1.45,<2'
	PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 YUSUAN_BROWSER=1 $(BIN)/python -m pytest -q -p no:cacheprovider tests/browser

# Benchmarks print figures measured in one run; they are not part of the test suite.
bench: setup system-deps $(VENV)/.corpus-installed
	$(BIN)/python benchmarks/check_bench.py
	$(BIN)/python benchmarks/check_many_bench.py --count 2000
	$(BIN)/python benchmarks/build_bench.py
	$(BIN)/python benchmarks/audit_pdf_bench.py
	$(BIN)/python benchmarks/corpus_bench.py

# The web application under 50 concurrent users (p50/p95 per page at a 3 s, 1 s and no pause), SQLite and,
# with DATABASE_URL, PostgreSQL; then the bulk open-data export of 1,000 synthetic published packages.
bench-web: test-setup
	$(BIN)/python benchmarks/web_load.py
	$(BIN)/python benchmarks/open_data_bench.py

clean:
	rm -rf $(VENV) out .pytest_cache test-output build/accel
