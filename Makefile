# Shortcuts; the README's two commands are scripts/run.sh and scripts/test.sh.
.PHONY: run test lint bench data
run:
	bash scripts/run.sh
test:
	bash scripts/test.sh
lint:
	.venv/bin/ruff check .
bench:
	for b in bench/bench_*.py; do .venv/bin/python $$b; done
data:
	.venv/bin/python scripts/build_figures.py
	.venv/bin/python scripts/build_geo.py
	.venv/bin/python scripts/build_map_geometry.py
	.venv/bin/python scripts/build_zonage.py
	.venv/bin/python scripts/build_manifest.py
