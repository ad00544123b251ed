.PHONY: run test lint
run:  ## set up and run web + Celery worker + beat with demo data
	bash scripts/run.sh
test:  ## set up and run the whole test suite
	bash scripts/test.sh
lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check .
