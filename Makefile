# storydesk: `make demo` sets everything up and runs the demo; `make test` sets up and runs the tests.
# Everything installs into ./.venv from the pinned requirements.lock (no global installs).

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
SD     := $(VENV)/bin/storydesk
STAMP  := $(VENV)/.installed-stamp
DEMO_DB ?= demo.db
SAMPLES := examples/kremlin-trump-2024

.PHONY: setup demo test test-fast bench lock clean

$(STAMP): pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] >= (3, 11), "storydesk needs Python 3.11+ (found %s)" % sys.version.split()[0]'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	@rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(SD) ingest $(SAMPLES) --db $(DEMO_DB)
	$(SD) articles --db $(DEMO_DB)
	$(PY) examples/demo.py --db $(DEMO_DB)

test: $(STAMP)
	$(PY) -m pytest

test-fast: $(STAMP)
	$(PY) -m pytest -m "not slow"

bench: $(STAMP)
	$(PY) bench/extraction.py
	$(PY) bench/dates.py
	$(PY) bench/quotes.py
	$(PY) bench/analysis_speed.py
	$(PY) bench/ingest_speed.py
	$(PY) bench/clustering.py
	$(PY) bench/compare.py

# Re-pin the dependencies after changing pyproject.toml (writes requirements.lock).
lock:
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet --upgrade pip
	.lock-venv/bin/pip install --quiet ".[ru,dev]"
	.lock-venv/bin/pip freeze --exclude-editable | grep -v '^storydesk' > requirements.lock
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm .pytest_cache
