PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# Absolute links in e-mails and letters follow the address `make run` serves.
SITE_URL ?= http://$(HOST):$(PORT)

.PHONY: install run demo test test-browser lint bench clean

$(STAMP): pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements.lock -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py load_demo
	$(PY) manage.py make_demo_signer

# The web server and the background worker (letters, e-mails); Ctrl-C stops both.
run: demo
	@echo "Kompeten: $(SITE_URL)/"
	@export SITE_URL=$(SITE_URL); \
	$(PY) manage.py run_jobs & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=$${DEBUG:-1} $(PY) manage.py runserver $(HOST):$(PORT)

# The suite runs on both cores (pytest-xdist; each worker gets its own test database and
# whole test files, so a file keeps its order).
PYTEST_WORKERS ?= 2

test: install
	$(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadfile

test-browser: install
	$(PY) -m pytest tests/browser -p no:randomly

lint: install
	$(VENV)/bin/ruff check .

bench: install
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) var
