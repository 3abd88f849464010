# AudioPrior: `make figures` regenerates the book's figures, `make test` runs every checkpoint.
# Both install the system libraries they need first (Debian packages, as root or via sudo).

SHELL := /bin/bash
PACKAGES := libsndfile1-dev libfftw3-dev libpng-dev libopenblas-dev pkg-config
# Only `make html-check` needs a browser, fonts for it to draw the pages with, and Python to
# drive it (Tools/browser-check.py, standard library only).
HTML_PACKAGES := chromium fonts-dejavu-core python3
SITE ?= site
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
CHAPTERS := $(sort $(notdir $(wildcard Chapters/[0-9]*)))
FIGURES ?= figures
# A crashing test process (an exit test, or an unsolved exercise) must end at once, not wait
# on the backtracer.
export SWIFT_BACKTRACE := enable=no

.PHONY: deps html-deps build release figures test chapters-quick book exercises \
  exercises-check bench html html-check format clean

# Installs the Debian packages named in $(1) that are missing (as root, or through sudo).
define install-missing
	@missing=""; \
	for p in $(1); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" \
	    || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "deps: installing$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	else \
	  echo "deps: $(1) already installed"; \
	fi
endef

deps:
	$(call install-missing,$(PACKAGES))

html-deps:
	$(call install-missing,$(HTML_PACKAGES))

build: deps
	swift build

release: deps
	swift build -c release

# Every chapter in order, each writing its figures into $(FIGURES)/.
figures: release
	@mkdir -p $(FIGURES)
	@all=$$(date +%s); \
	for c in $(CHAPTERS); do \
	  echo "== $$c"; \
	  start=$$(date +%s); \
	  .build/release/$$c --figures $(FIGURES) || exit 1; \
	  echo "== $$c took $$(( $$(date +%s) - start )) s"; \
	done; \
	echo "figures: $(words $(CHAPTERS)) chapters in $$(( $$(date +%s) - all )) s"

test: deps
	swift test
	@# Every test again with work split into fewer and more parts than this machine has cores.
	for n in 1 3 4; do AUDIOPRIOR_THREADS=$$n swift test --skip-build || exit 1; done
	$(MAKE) chapters-quick
	$(MAKE) exercises-check

# Each chapter once with --quick (tiny sizes, figures to a temporary folder): no chapter rots.
chapters-quick:
	@swift build
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	for c in $(CHAPTERS); do \
	  echo "== $$c --quick"; \
	  .build/debug/$$c --quick --figures "$$tmp" > "$$tmp/$$c.log" 2>&1 \
	    || { cat "$$tmp/$$c.log"; exit 1; }; \
	done; \
	echo "chapters-quick: $(words $(CHAPTERS)) chapters ran"

# Rewrites the code blocks under `<!-- excerpt: ... -->` markers in book.md from Sources/.
book:
	swift run book excerpts

# The classroom copy: exercises/ is the package with every solution region replaced by a
# fatalError naming the exercise. It builds; the chapters' checkpoints fail until solved.
exercises:
	swift run book exercises --output exercises
	cd exercises && swift build --build-tests

# In the exercise copy, every chapter's checkpoint must fail (it tests what was removed).
exercises-check: exercises
	@for n in $$(ls Tests/AudioPriorTests | grep -o '^Chapter[0-9][0-9]' | sort -u); do \
	  if (cd exercises && swift test --filter "$$n" > /dev/null 2>&1); then \
	    echo "exercises-check: $$n passes in the exercise copy; its checkpoint tests nothing removed"; \
	    exit 1; \
	  else \
	    echo "exercises-check: $$n fails in the exercise copy, as it should"; \
	  fi; \
	done

# The book as a website in $(SITE)/: open $(SITE)/index.html.
html:
	swift run book html --output $(SITE)

# The site in a real browser: every link and anchor resolves, then headless Chromium loads
# every page (images, sounds, style sheet, no errors) and screenshots its first screen.
html-check: html-deps html
	swift run book site-check --site $(SITE)
	python3 Tools/browser-check.py $(SITE) $(SITE)/screenshots

format:
	swift format --in-place --recursive Sources Chapters Tests Tools Package.swift

clean:
	rm -rf .build

# Builds in release and prints one Markdown table; keep a run worth keeping in BENCHMARKS.md.
bench: release
	.build/release/bench | tee .build/bench-latest.md
