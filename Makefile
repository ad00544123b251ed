.PHONY: run test lint ci
run:  ## set up and run web + Celery worker + beat with demo data
	bash scripts/run.sh
test:  ## set up and run the whole test suite (SQLite unless DATABASE_URL is set)
	bash scripts/test.sh
lint:  ## what CI lints (the code is not ruff-formatted, so no format check), and the apps' layers
	.venv/bin/ruff check .
	.venv/bin/lint-imports
ci:  ## everything CI runs: SQLite and PostgreSQL + Redis suites, check --deploy, ruff
	bash .ci/run
