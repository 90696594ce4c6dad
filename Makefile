# derivlab: two commands on a fresh machine.
#   make report  -> sets up .venv, installs, writes reports/solutions.pdf
#   make test    -> sets up .venv, installs (TeX Live too when root), runs the test suite,
#                   layer contracts (import-linter) and lint (ruff) included (tests/meta)
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: venv test report bench fuzz tex autograder autograder-e2e clean

venv: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c constraints.txt torch==2.13.0
	$(PY) -m pip install -q -c constraints.txt -e '.[dev]'
	touch $(STAMP)

# TeX Live from Debian when it is missing and we are root (the report and the TeX tests need a
# real TeX engine; pdftotext reads the feedback PDFs back). Without root the TeX tests skip.
tex:
	@if ! command -v latexmk >/dev/null 2>&1 || ! command -v pdflatex >/dev/null 2>&1 || ! command -v pdftotext >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing TeX Live (texlive-latex-base/recommended/extra, latexmk)..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      texlive-latex-base texlive-latex-recommended texlive-latex-extra latexmk poppler-utils >/dev/null; \
	  else \
	    echo "no TeX engine: install texlive-latex-base texlive-latex-recommended texlive-latex-extra latexmk poppler-utils (the TeX tests skip)"; \
	  fi; \
	fi

test: $(STAMP) tex
	$(PY) -m pytest -q -n 2 --dist loadfile

report: $(STAMP) tex
	$(VENV)/bin/derivlab report --out reports

bench: $(STAMP)
	$(VENV)/bin/derivlab bench

fuzz: $(STAMP)
	$(VENV)/bin/derivlab fuzz --examples 100

autograder: $(STAMP)
	$(VENV)/bin/derivlab grade --autograder-zip autograder.zip

# The autograder zip built and run end to end in a scratch autograder tree (setup.sh makes its own venv:
# minutes). DERIVLAB_TORCH_INDEX= (set but empty) takes torch from pip's own configuration (a local wheel)
# instead of the CPU index.
autograder-e2e: $(STAMP)
	DERIVLAB_AUTOGRADER_E2E=1 $(PY) -m pytest -q -n 0 tests/reports/test_autograder.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis
