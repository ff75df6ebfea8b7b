# sasaeai: `make run` serves the demo, `make test` runs the whole suite.
SHELL := /bin/bash
# Python 3.12+: from PATH, else a pyenv install of it, else whatever python3 is (checked below).
PYTHON ?= $(firstword $(shell command -v python3.12 python3.13 2>/dev/null) \
	$(wildcard $(HOME)/.pyenv/versions/3.12*/bin/python3.12) $(shell command -v python3))
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)

# The local demo: production code paths, but plain HTTP on 127.0.0.1 and no MFA.
DEMO_ENV := DEBUG=0 SECRET_KEY="$$(cat var/secret_key)" ALLOWED_HOSTS=127.0.0.1,localhost \
	SASAEAI_PERSONAL_DATA_KEYS="$$(cat var/personal_data_key)" \
	SECURE_SSL_REDIRECT=0 SECURE_COOKIES=0 SECURE_HSTS_SECONDS=0 SASAEAI_REQUIRE_MFA=0 \
	SASAEAI_DEFAULT_MUNICIPALITY=131199 SASAEAI_BASE_URL=http://127.0.0.1:$(PORT) \
	EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend

.PHONY: run test bench soak audit install lint format clean

install: $(STAMP)

# pip's notes about this machine's own package folders that do not exist are left out.
$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 12) and "Python 3.12 or newer is needed (see .python-version)")'
	@echo "sasaeai: installing into $(VENV) from requirements.lock…"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock \
		2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
	@rm -f $(VENV)/.installed-*
	@touch $@

var/secret_key:
	@mkdir -p var
	@$(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@

# The key that encrypts the demo's (invented) personal data; production sets its own.
var/personal_data_key: | $(STAMP)
	@mkdir -p var
	@$(BIN)/python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())' > $@

# The task worker (e-mails, daily jobs) runs beside the web server and stops with it.
run: $(STAMP) var/secret_key var/personal_data_key
	@echo "sasaeai: preparing var/sasaeai.sqlite3 with the Itabashi areas and the demo data…"
	@$(DEMO_ENV) $(BIN)/python manage.py migrate --noinput -v 0
	@$(DEMO_ENV) $(BIN)/python manage.py createcachetable
	@$(DEMO_ENV) $(BIN)/python manage.py collectstatic --noinput -v 0
	@$(DEMO_ENV) $(BIN)/python manage.py schedule_tasks > /dev/null
	@$(DEMO_ENV) $(BIN)/python manage.py load_demo
	@echo "sasaeai: http://127.0.0.1:$(PORT)/  (Ctrl-C stops it)"
	@$(DEMO_ENV) $(BIN)/python manage.py run_worker --no-reload -v 0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT; \
	$(DEMO_ENV) $(BIN)/granian --interface wsgi --host 127.0.0.1 --port $(PORT) \
		--workers $$(nproc) --blocking-threads 4 --log-level warning sasaeai.wsgi:application

test: $(STAMP)
	@$(BIN)/python bin/test.py

# Benchmarks (not tests): see bench/README.md.
bench: $(STAMP)
	@$(BIN)/python bench/run.py

# The demo as deployed under a steady mix of requests, sampled every minute (bench/README.md,
# *Soak*): SOAK_MINUTES=2 for a short run, SOAK_DB=postgres for PostgreSQL.
SOAK_MINUTES ?= 30
SOAK_DB ?= sqlite
soak: $(STAMP)
	@$(BIN)/python bench/soak.py --minutes $(SOAK_MINUTES) --db $(SOAK_DB)

# Security scanners (wapiti, sqlmap: GPL programs, run against the local demo, never imported
# nor shipped) in their own .venv-audit, pinned with hashes (bench/README.md, *Audit*).
AUDIT_MINUTES ?= 10
AUDIT_STAMP := .venv-audit/.installed-$(shell cksum < bench/audit-requirements.txt | cut -d' ' -f1)
$(AUDIT_STAMP): bench/audit-requirements.txt
	@echo "sasaeai: installing the scanners into .venv-audit…"
	@test -x .venv-audit/bin/python || $(PYTHON) -m venv .venv-audit
	@.venv-audit/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes \
		--no-deps -r bench/audit-requirements.txt \
		2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
	@rm -f .venv-audit/.installed-*
	@touch $@

audit: $(STAMP) $(AUDIT_STAMP)
	@$(BIN)/python bench/audit.py --minutes $(AUDIT_MINUTES)

lint: $(STAMP)
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format . && $(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) var
