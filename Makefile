# The checks CI runs after the test suite (.ci/run calls `make check`); run them before you push.
# Tools come from the project's virtualenv (README's test command creates it); VENV=... to point
# elsewhere.
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: check lint format-check types imports

check: lint format-check types imports

lint:
	$(BIN)/ruff check .

format-check:
	$(BIN)/ruff format --check .

# Scope and strictness live in pyproject.toml ([tool.mypy] files), so a bare `mypy` agrees.
types:
	$(BIN)/mypy

imports:
	$(BIN)/lint-imports --no-logo
