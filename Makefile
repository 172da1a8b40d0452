# Developer and CI entry points. `make test` is what .ci/run (and so CI) runs.

PYTHON ?= python3
VENV := .venv
VPY := $(VENV)/bin/python
STAMP := $(VENV)/install.stamp
LAUNCHER := tools/ignite_server.py
PYTEST_ARGS ?=
# The version matrix of `make test`: the whole suite on the launcher's default Ignite version
# (2.18.0, Calcite SQL engine), then the tests whose meaning depends on the SQL engine on the
# newest version with the H2 engine. `IGNITE_VERSION=x.y.z make test` runs the whole suite on
# that version only.
H2_IGNITE_VERSION ?= 2.17.0
ENGINE_TESTS := tests/sql tests/binary/test_interop.py tests/binary/test_full_footer_server.py \
	tests/binary/test_sql_date.py tests/test_examples.py tests/dbapi tests/sqlalchemy
# Lint only the folders that exist, so a missing one is not itself an error.
LINT_DIRS := $(wildcard pyignite tests examples tools)

.PHONY: venv ignite-libs test examples clean

venv: $(STAMP)

# Reinstalls only when setup.py or a requirements file changed.
$(STAMP): setup.py $(wildcard requirements/*.txt)
	test -x $(VPY) || $(PYTHON) -m venv $(VENV)
	$(VPY) -m pip install -q -e . -r requirements/tests.txt
	touch $@

# Resolves the Ignite server jars once (Maven, cached under ~/.cache/pyignite-it).
ignite-libs:
	$(PYTHON) $(LAUNCHER) libs
ifeq ($(IGNITE_VERSION),)
	$(PYTHON) $(LAUNCHER) libs --version $(H2_IGNITE_VERSION)
endif

# pytest (the matrix above), then flake8 and mypy --strict (the package ships py.typed),
# then no test node may be left running; every step always runs and any failure fails
# the target (pytest's exit 5, "no tests collected",
# included).
test: venv ignite-libs
	@status=0; \
	$(VPY) -m pytest -p no:cacheprovider --examples $(PYTEST_ARGS) tests || status=1; \
	if [ -z "$(IGNITE_VERSION)" ]; then \
		echo "== the SQL-engine-dependent tests on Ignite $(H2_IGNITE_VERSION) (H2)"; \
		IGNITE_VERSION=$(H2_IGNITE_VERSION) $(VPY) -m pytest -p no:cacheprovider --examples \
			$(PYTEST_ARGS) $(ENGINE_TESTS) || status=1; \
	fi; \
	$(VENV)/bin/flake8 $(LINT_DIRS) || status=1; \
	$(VENV)/bin/mypy --strict pyignite || status=1; \
	$(VPY) $(LAUNCHER) cleanup --check || status=1; \
	exit $$status

examples: venv ignite-libs
	$(VPY) tools/run_examples.py

# Side-by-side benchmarks with the reference client; writes docs/benchmarks.rst and
# bench/results/. QUICK=1 for a short run, BENCH_ARGS for more options (bench/run.py --help).
.PHONY: bench
bench: venv ignite-libs
	BENCH_COMMAND='make bench$(if $(QUICK), QUICK=$(QUICK))$(if $(BENCH_ARGS), BENCH_ARGS="$(BENCH_ARGS)")' \
	$(PYTHON) bench/run.py --python $(VPY) $(if $(QUICK),--quick) $(BENCH_ARGS)

clean:
	-$(PYTHON) $(LAUNCHER) cleanup
	rm -rf $(VENV) build dist *.egg-info .ignite-run .pytest_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
