# Everything runs inside .venv, created on first use from pyproject.toml.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
CODE   := schemas service evals

.PHONY: help install run test lint format eval schemas clean llm-local llm-local-stop eval-local

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)  ## create .venv and install the project with its dev tools

run: $(STAMP)  ## serve the API on http://127.0.0.1:8000 (offline engine unless an LLM is configured)
	$(BIN)/digest serve

test: $(STAMP)  ## run the test suite (offline, no LLM needed)
	$(BIN)/pytest

lint: $(STAMP)  ## ruff, ruff format --check, mypy --strict, import layering
	$(BIN)/ruff check $(CODE) tests bench scripts
	$(BIN)/ruff format --check $(CODE) tests bench scripts
	$(BIN)/mypy $(CODE)
	$(BIN)/lint-imports

format: $(STAMP)  ## apply ruff fixes and formatting
	$(BIN)/ruff check --fix $(CODE) tests bench scripts
	$(BIN)/ruff format $(CODE) tests bench scripts

eval: $(STAMP)  ## score the offline engine on the gold set (report in evals/runs/)
	$(BIN)/digest eval run --engine offline

llm-local:  ## build llama.cpp's server and a Qwen2.5 model in .llm-local/, start it (LOCAL_MODEL=1.5b|0.5b|PATH.gguf)
	$(PYTHON) scripts/llm_local.py start

llm-local-stop:  ## stop the server started by make llm-local
	$(PYTHON) scripts/llm_local.py stop

eval-local: $(STAMP)  ## score the local model (make llm-local) on the gold set; answers are cached
	env $$($(PYTHON) scripts/llm_local.py settings) $(BIN)/digest eval run --engine llm

schemas: $(STAMP)  ## re-export the JSON Schemas in schemas/
	$(BIN)/python -m schemas.export

clean:  ## remove .venv and caches
	rm -rf $(VENV) .cache .pytest_cache .mypy_cache .ruff_cache
