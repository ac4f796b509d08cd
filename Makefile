# The two commands a newcomer needs are `make site` and `make test`; both set up
# the virtual environment in .venv/ first. Targets match CONTRIBUTING.md's headings.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: help install site serve test lint zensical golden export screenshots bench release validate stats clean

help:  ## List the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)  ## Create .venv/ and install the project with its pinned dependencies

site: $(STAMP)  ## Validate, generate and build the site into site/
	$(BIN)/catalog build

serve: $(STAMP)  ## Preview the site at http://127.0.0.1:8000; saved catalog and data files regenerate it
	$(BIN)/catalog serve

# The browser tests' Chromium: Debian's, installed with apt-get when run as root, else
# Playwright's (tests/find_browser.py says the order). It stops make with one line that
# says what to run when no browser can be had; the tests are never skipped.
FIND_BROWSER := $(BIN)/python tests/find_browser.py

test: lint  ## Lint, then run every test (unit, golden files, full builds, browser)
	browser=$$($(FIND_BROWSER)) && CATALOG_CHROMIUM="$$browser" $(BIN)/python -m pytest

lint: $(STAMP)  ## Lint, check formatting (`ruff format generator tests` fixes it), audit workflows
	$(BIN)/ruff check generator tests imports
	$(BIN)/ruff format --check generator tests imports
	$(BIN)/zizmor --quiet --offline .github/workflows/ .github/dependabot.yml

zensical: $(STAMP)  ## Check that the site also builds under Zensical (pinned in the test extras)
	$(BIN)/python -m pytest -q tests/test_zensical.py

golden: $(STAMP)  ## Refresh the golden files after an intended change to the output
	UPDATE_GOLDEN=1 $(BIN)/python -m pytest tests/test_render.py -q
	git status --short tests/golden

export: $(STAMP)  ## Regenerate schemas/, the field tables and the editor lines from the models
	$(BIN)/catalog export

screenshots: $(STAMP)  ## Retake the README's screenshots in Chromium (desktop) into docs/assets/
	browser=$$($(FIND_BROWSER)) && CATALOG_CHROMIUM="$$browser" \
		$(BIN)/python -m pytest -q tests/test_browser.py -k screenshots
	for name in home challenge challenge-posts matrix; do cp build/screenshots/$$name-desktop.png docs/assets/screenshots/$$name.png; done

bench: $(STAMP)  ## Time the generator against bare MkDocs on a synthetic catalog (minutes)
	cd bench && ../$(BIN)/python run.py

release: $(STAMP)  ## Record a release (version and date from CITATION.cff) in releases/
	$(BIN)/catalog release

validate: $(STAMP)  ## Check every catalog and data file, write nothing
	$(BIN)/catalog validate

stats: $(STAMP)  ## Print the catalog's taxonomies with post counts
	$(BIN)/catalog stats

clean:  ## Remove generated pages, the built site and the virtual environment
	rm -rf site site.new site.old docs/index.md docs/verify.md docs/ids.json docs/data.md docs/filter.md docs/matrix.md docs/data docs/audiences docs/facets docs/statistics docs/changes docs/challenges docs/studies docs/schemas docs/help-label $(VENV)

