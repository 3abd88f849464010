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
  exercises-check exercises-check-each checkpoint bench bench-pytorch html html-check format clean pesq

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

# The Swift the package needs (its tools version; the tests use exit tests): a toolchain is
# not a Debian package, so deps only checks for it and says what to install.
SWIFT_MINIMUM := 6.2

deps:
	@v=$$(swift --version 2>/dev/null | grep -o 'Swift version [0-9][0-9.]*' | cut -d' ' -f3); \
	if [ -z "$$v" ] || [ "$$(printf '%s\n' $(SWIFT_MINIMUM) "$$v" | sort -V | head -n 1)" \
	    != "$(SWIFT_MINIMUM)" ]; then \
	  echo "deps: AudioPrior needs Swift $(SWIFT_MINIMUM) or later; found $${v:-no swift}"; \
	  exit 1; \
	fi; \
	echo "deps: Swift $$v (needs $(SWIFT_MINIMUM) or later)"
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

# The classroom copy: exercises/ is the package with every solution region (only chapter
# CHAPTER's with CHAPTER=N) replaced by a fatalError naming the exercise, and its book.md the
# student's edition, which shows those placeholders. It builds; the checkpoints fail until solved.
exercises:
	swift run book exercises --output exercises $(if $(CHAPTER),--chapter $(CHAPTER))
	cd exercises && swift build --build-tests

# For every chapter N, in one copy rewritten in place (so that each rebuild is incremental)
# with only chapter N's solutions removed: chapter N's checkpoint must fail there (it tests
# what was removed) and chapters 1 to N-1 must pass (nothing of theirs was removed and they do
# not reach later code). Later chapters are not run: their code builds on chapter N's. Then
# the whole handout is written and built, and the book check passes on the student's book.
exercises-check:
	@log=$$(mktemp); trap 'rm -f "$$log"' EXIT; \
	for n in $$(ls Tests/AudioPriorTests | grep -o '^Chapter0[1-9]' | sort -u | cut -c9); do \
	  swift run book exercises --output exercises --chapter $$n > /dev/null || exit 1; \
	  (cd exercises && swift build --build-tests > "$$log" 2>&1) || { cat "$$log"; exit 1; }; \
	  if (cd exercises && swift test --skip-build --filter "Chapter0$$n" > /dev/null 2>&1); then \
	    echo "exercises-check: Chapter0$$n passes in its own copy; it tests nothing removed"; \
	    exit 1; \
	  fi; \
	  if [ $$n -gt 1 ] && ! (cd exercises && \
	      swift test --skip-build --filter "Chapter0[1-$$((n - 1))]" > "$$log" 2>&1); then \
	    tail -n 30 "$$log"; \
	    echo "exercises-check: an earlier chapter fails in chapter $$n's copy"; \
	    exit 1; \
	  fi; \
	  echo "exercises-check: in chapter $$n's copy Chapter0$$n fails and chapters before it pass"; \
	done
	@# The whole of exercises-check-each takes too long for every run: eight exercises a day.
	swift run book exercises-check-each --output exercises --rotate $(EACH_PER_DAY)
	$(MAKE) exercises
	cd exercises && swift run book check

# Each exercise proven tested: for every solution, in a copy with only that solution removed,
# one of its chapter's tests tagged with it must fail. One folder is rewritten for each in
# turn, so each rebuild is incremental; `make exercises-check-each EXERCISES="im2col col2im"`
# checks only those. `make test` checks EACH_PER_DAY of them, a different few each day.
EACH_PER_DAY ?= 8
exercises-check-each:
	swift run book exercises-check-each --output exercises \
	  $(foreach e,$(EXERCISES),--exercise $(e))

# A chapter graded (make checkpoint N=3): each exercise's tagged tests run in a process of
# their own, so that one unsolved exercise does not stop the others; prints a table of
# exercises, tests and results, and the hint of each unsolved exercise.
checkpoint:
	@test -n "$(N)" || { echo "usage: make checkpoint N=<chapter number>"; exit 2; }
	@swift run book checkpoint $(N)

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
# The archive-scale rows measure `denoise`'s peak memory with GNU time (Debian's `time`).
bench: release
	$(call install-missing,time)
	.build/release/bench | tee .build/bench-latest.md

# Optional: chapter 5's fit step in PyTorch on this machine, the reference for its speed
# (installs the CPU build of torch with pip when it is missing), then ours in the same run.
bench-pytorch: release
	@python3 -c "import torch" 2> /dev/null || { \
	  echo "bench-pytorch: installing torch (CPU build) with pip"; \
	  python3 -m pip install --quiet "torch==2.13.0+cpu" \
	    || python3 -m pip install --quiet "torch==2.13.0" --index-url https://download.pytorch.org/whl/cpu; }
	python3 Benchmarks/pytorch/fit_step.py
	FIT_STEP_ADAM=fused python3 Benchmarks/pytorch/fit_step.py
	@echo "ours, fit step: $$(.build/release/bench fit-step) s"

# Mean wideband PESQ (ITU-T P.862.2) of each method in $(DIR): DIR/clean/ITEM.wav are the
# references, DIR/METHOD/ITEM.wav the outputs (mono, 16 kHz). Installs the `pesq` package
# (PyPI; it builds the ITU's C code, so it needs a C compiler), numpy and scipy with pip when
# one is missing.
pesq:
	@test -n "$(DIR)" || { echo "pesq: name the folder: make pesq DIR=path" >&2; exit 2; }
	@python3 -c "import pesq, numpy, scipy" 2> /dev/null || { \
	  echo "pesq: installing pesq==0.0.4 numpy scipy with pip"; \
	  python3 -m pip install --quiet pesq==0.0.4 numpy scipy || { \
	    echo "pesq: pip could not install pesq (it compiles C: on Debian apt-get install" \
	      "gcc python3-dev python3-pip); nothing was scored" >&2; exit 1; }; }
	python3 Tools/pesq-score.py "$(DIR)"
