# The two commands of the README, and a few for developers.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1:8000
# pytest-xdist workers: one per core (CI has two); TEST_WORKERS=0 runs in one process.
TEST_WORKERS ?= auto
PYTEST := $(BIN)/pytest -n $(TEST_WORKERS)

.PHONY: run test check lint format lock install install-dev serve clean backup restore messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamp files make the installs re-run whenever a lock file changes.
$(VENV)/.installed: requirements/base.txt | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements/base.txt
	touch $@

$(VENV)/.installed-dev: requirements/base.txt requirements/dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements/base.txt -r requirements/dev.txt
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# The English catalogue's .mo is built here, not committed (needs gettext's msgfmt).
messages: install
	$(MANAGE) compilemessages --ignore=.venv

run: install messages
	mkdir -p var
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo
	@if [ -n "$$DJANGO_SUPERUSER_USERNAME" ]; then \
		$(MANAGE) createsuperuser --noinput || true; \
	else \
		echo "Erstes Admin-Konto anlegen: $(BIN)/python manage.py createsuperuser"; \
		echo "(oder DJANGO_SUPERUSER_USERNAME, _EMAIL und _PASSWORD setzen)"; \
	fi
	@echo "Ratsregister läuft auf http://$(HOST)/ (Verwaltung: http://$(HOST)/admin/)"
	$(MANAGE) runserver $(HOST)

test: install-dev messages
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/vulture
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) check
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) makemigrations --check --dry-run
	$(PYTEST)

# The everyday loop: lint and every test but the slow ones (browser, crawl, volume,
# long property runs; see tests/conftest.py). `make test` runs everything.
check: install-dev messages
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/vulture
	$(PYTEST) -m "not slow"

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/vulture

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Recompile the lock files after editing requirements/*.in (needs pip-tools).
lock:
	$(BIN)/pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
		--no-emit-index-url --no-emit-find-links -o requirements/base.txt requirements/base.in
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
		--no-emit-index-url --no-emit-find-links -o requirements/dev.txt requirements/dev.in

# The database in one file under var/backups/ (pg_dump -Fc for PostgreSQL,
# SQLite's online backup otherwise); the database is the one DATABASE_URL names.
backup: install
	$(MANAGE) backup

# Put a backup back: make restore FILE=var/backups/ratsregister-….dump
# (asks before replacing a database that holds tables; stop the server first).
restore: install
	@test -n "$(FILE)" || { echo "Aufruf: make restore FILE=<Sicherungsdatei>"; exit 2; }
	$(MANAGE) restore "$(FILE)"

clean:
	rm -rf $(VENV) var staticfiles
