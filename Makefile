# cishare: one non-recursive GNU Makefile.
#   make              build $(O)/cishared and $(O)/cishare (O=build/san: ASan+UBSan
#                     by default; SAN= builds build/plain)
#   make run          install deps, build without sanitizers, init a demo database,
#                     serve on 127.0.0.1:8080
#   make unit         the cmocka unit tests
#   make check        every test (lint, clang build, unit, fuzz-corpus replay, e2e,
#                     PostgreSQL, browser) under ASan+UBSan: tools/run-checks
#   make lint         tools/lint: checksrc, include direction, generated files
#                     current (web/js/vocab.js, the option table of
#                     docs/operations.md)
#   make format       clang-format (.clang-format) on FILES=..., or on the C files
#                     changed against git HEAD; never part of check
#   make vocab        rewrite web/js/vocab.js from data/ (tools/gen-vocab)
#   make docs-options rewrite the option table of docs/operations.md
#   make deb          the Debian package (dpkg-buildpackage; debian/)
#   make deb-fresh    build it, install it with apt on a fresh Debian booted in
#                     systemd-nspawn, check the service, purge, reinstall
#                     (tests/pkg/fresh-debian.sh; root and the Debian mirror;
#                     never part of check)
#
# Libraries: one archive per layer, $(O)/lib/libcs_<layer>.a, in LAYERS
# order (bottom first).  The daemon links them all; each unit test links
# only its layer and those below, so a call upwards fails to link.

CC	?= cc
SAN	?= address,undefined
# Separate trees, so a plain build and a sanitizer build never mix objects.
O	?= build/$(if $(SAN),san,plain)
PKGS	:= libmicrohttpd jansson libsodium sqlite3
# interop: deterministic STIX ids (uuid_generate_sha1, Debian's uuid-dev)
PKGS	+= uuid
# analysis: observables — curl_url normalises URLs, libpsl (Debian libpsl-dev)
# knows the public suffixes
PKGS	+= libpsl libcurl
# the TOTP second factor (RFC 6238): Debian liboath-dev
PKGS	+= liboath
CLIPKGS	:= libcurl jansson
# cishare attachment get verifies a download's SHA-256
CLIPKGS	+= libsodium
# PostgreSQL backend (src/store/pg): on when libpq is installed; PG= turns it off.
PG	?= $(shell pkg-config --exists libpq && echo 1)
ifeq ($(PG),1)
PKGS	+= libpq
endif

WARN	:= -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	   -Wmissing-prototypes -Wformat=2 -Wpointer-arith -Wsign-compare
CFLAGS	?= -O1 -g
# `override`: a CFLAGS given on the command line (make CFLAGS=-O2) replaces
# only the optimisation flags above, never the language, warnings or -Isrc.
# -I$(O): the generated headers, included as "gen/vocab.h"
override CFLAGS	+= -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Isrc -I$(O) $(WARN) -MMD -MP
ifeq ($(PG),1)
override CFLAGS	+= -DCS_HAVE_PG
endif
ifneq ($(SAN),)
override CFLAGS	+= -fsanitize=$(SAN) -fno-sanitize-recover=all -fno-omit-frame-pointer
LDFLAGS	+= -fsanitize=$(SAN)
endif
DEPCFLAGS := $(shell pkg-config --cflags $(PKGS) $(CLIPKGS) cmocka 2>/dev/null)
# libunistring (NFKC and case folding for identity matching) has no .pc file
LIBS	:= $(shell pkg-config --libs $(PKGS)) -lunistring -lpthread
CLILIBS	:= $(shell pkg-config --libs $(CLIPKGS))
# the daemon's worker sends e-mail and webhooks through libcurl
DAEMONLIBS := $(shell pkg-config --libs libcurl)
CMOCKA	:= $(shell pkg-config --libs cmocka)

# The layers, bottom first (tools/check-includes.sh enforces the same
# direction).  A new layer is one word here: its archive holds every .c file
# under src/<layer>/.  vocab is generated ($(O)/gen/vocab.c, from data/).
LAYERS	:= util vocab core analysis interop store svc api http

DAEMON_SRC:= $(wildcard src/daemon/*.c)
CLI_SRC   := $(wildcard src/cli/*.c)
DATA_JSON := $(wildcard data/*.json)
VOCAB_IN  := tools/gen-vocab tools/vocab-app.json $(DATA_JSON) $(wildcard web/i18n/*.json)
WEB_FILES := $(shell find web -type f \( -name '*.html' -o -name '*.js' -o -name '*.css' -o -name '*.json' -o -name '*.svg' -o -name '*.png' -o -name '*.ico' \) 2>/dev/null | sort)

obj = $(patsubst %.c,$(O)/%.o,$(1))

# $(call layer_obj,L): the objects of layer L's archive.  The PostgreSQL
# engine only with PG=1; core/refdata.c's embedded data/ and web/ files
# live in core's archive.
layer_src = $(filter-out $(if $(filter 1,$(PG)),,src/store/pg/%),\
	    $(sort $(shell find src/$(1) -name '*.c' 2>/dev/null)))
layer_obj = $(if $(filter vocab,$(1)),$(O)/gen/vocab.o,$(call obj,$(call layer_src,$(1)))) \
	    $(if $(filter core,$(1)),$(O)/gen/refdata.o $(O)/gen/webfiles.o)
lib	= $(O)/lib/libcs_$(1).a
# $(call upto,L): the archives of L and the layers below it, in link order
# (L first, util last); upto_ walks LAYERS from the bottom.
upto	= $(call upto_,$(1),$(LAYERS))
upto_	= $(if $(filter $(1),$(firstword $(2))),$(call lib,$(1)),\
	  $(call upto_,$(1),$(wordlist 2,99,$(2))) $(call lib,$(firstword $(2))))
TOP	:= $(lastword $(LAYERS))
ALL_LIBS := $(call upto,$(TOP))

# every library object (tests/fuzz/run-libfuzzer.sh reads this)
LIB_OBJ	:= $(foreach L,$(LAYERS),$(call layer_obj,$(L)))

all: $(O)/cishared $(O)/cishare

# Every object may include the generated vocabulary: it exists first.
$(O)/%.o: %.c | $(O)/gen/vocab.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(DEPCFLAGS) -c -o $@ $<

$(O)/tools/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -O1 -Wall -Wextra -Werror -o $@ $<

# The vocabulary (docs/internals/glossary.md): data/ -> build/gen/vocab.[ch]
# (C) and web/js/vocab.js (committed, so web/ stays what the browser loads;
# `make lint` fails when it is stale, `make vocab` rewrites it).  The stamp
# keeps unchanged headers untouched, so objects rebuild only on a change.
$(O)/gen/vocab.stamp: $(VOCAB_IN)
	@mkdir -p $(dir $@)
	tools/gen-vocab --c $(O)/gen
	@touch $@

$(O)/gen/vocab.h $(O)/gen/vocab.c: $(O)/gen/vocab.stamp ;

vocab:
	tools/gen-vocab --js web/js/vocab.js

$(O)/gen/refdata.c: $(O)/tools/embed $(DATA_JSON)
	@mkdir -p $(dir $@)
	$(O)/tools/embed $@ cs_embedded_files data $(DATA_JSON)

# The web UI's catalogues are checked before they are embedded: a key in
# web/i18n/ja.json and not in en.json (or the reverse) fails the build.
$(O)/gen/web-check.stamp: tools/check-i18n tools/check-errors $(WEB_FILES) $(DATA_JSON)
	@mkdir -p $(dir $@)
	@tools/check-i18n
	@tools/check-errors
	@touch $@

$(O)/gen/webfiles.c: $(O)/tools/embed $(WEB_FILES) $(O)/gen/web-check.stamp
	@mkdir -p $(dir $@)
	$(O)/tools/embed $@ cs_web_files web $(WEB_FILES)

$(O)/gen/%.o: $(O)/gen/%.c
	$(CC) $(CFLAGS) -c -o $@ $<

define layer_rule
$(call lib,$(1)): $(call layer_obj,$(1))
	@mkdir -p $$(dir $$@)
	@rm -f $$@
	$$(AR) rcs $$@ $$^
endef
$(foreach L,$(LAYERS),$(eval $(call layer_rule,$(L))))

$(O)/cishared: $(call obj,$(DAEMON_SRC)) $(ALL_LIBS)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS) $(DAEMONLIBS)

# the CLI: util and the vocabulary only
$(O)/cishare: $(call obj,$(CLI_SRC)) $(call upto,vocab)
	$(CC) $(LDFLAGS) -o $@ $^ $(CLILIBS) -lpthread

# ---- tests -------------------------------------------------------------
UNIT_TESTS := $(patsubst tests/unit/%.c,$(O)/tests/%,$(wildcard tests/unit/test_*.c))
FUZZ_SRC   := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_REPLAY:= $(patsubst tests/fuzz/%.c,$(O)/tests/%,$(FUZZ_SRC))

# The layer each unit test exercises: it links that archive and those
# below only (STYLE.md 3.7), so the linker proves the boundaries.  A test
# not listed here links everything.  LAYER_TESTS_<layer> names the tests
# (test_<name>) of each layer.
LAYER_TESTS_util	:= util net
LAYER_TESTS_vocab	:= vocab
LAYER_TESTS_core	:= core policy policy_adv ident flow authz disclosure
LAYER_TESTS_core	+= attach
LAYER_TESTS_analysis	:= sml stats cascade obs risk
LAYER_TESTS_interop	:= stix
LAYER_TESTS_interop	+= stix_pattern
LAYER_TESTS_store	:= store store_tx
LAYER_TESTS_svc		:= svc
LAYER_TESTS_core	+= survey
LAYER_TESTS_core	+= exercise
LAYER_TESTS_core	+= retention
$(foreach L,$(LAYERS),$(foreach t,$(LAYER_TESTS_$(L)),$(eval test_$(t)_LAYER := $(L))))

.SECONDEXPANSION:
$(O)/tests/test_%: tests/unit/test_%.c $$(call upto,$$(or $$(test_$$*_LAYER),$(TOP))) | $(O)/gen/vocab.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(DEPCFLAGS) $(LDFLAGS) -o $@ $(filter %.c %.o %.a,$^) $(LIBS) $(CMOCKA)

# the fuzz targets drive parsers of util and core; the others name their layer
fuzz_route_LAYER	:= http
fuzz_stix_observables_LAYER := interop
fuzz_stix_pattern_LAYER := interop
fuzz_stix_import_LAYER := interop
fuzz_taxii_filter_LAYER := http
fuzz_basic_auth_LAYER := http
fuzz_obs_extract_LAYER := analysis
fuzz_risk_matrix_LAYER := analysis
fuzz_cookie_LAYER	:= http
fuzz_query_LAYER	:= http
fuzz_request_body_LAYER := http
$(O)/tests/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c $$(call upto,$$(or $$(fuzz_$$*_LAYER),core)) | $(O)/gen/vocab.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(DEPCFLAGS) $(LDFLAGS) -o $@ $(filter %.c %.a,$^) $(LIBS)

# The CLI's parsers (fuzz_cli_*) link only the cli objects (not main) and util.
$(O)/tests/fuzz_cli_%: tests/fuzz/fuzz_cli_%.c tests/fuzz/replay.c \
    $(call obj,$(filter-out src/cli/cishare.c,$(CLI_SRC))) $(call upto,vocab) | $(O)/gen/vocab.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(DEPCFLAGS) $(LDFLAGS) -o $@ $(filter %.c %.o %.a,$^) $(CLILIBS) -lpthread

# benchmarks (bench/README.md): builds the data-set generator, runs nothing
bench: $(O)/bench/gen
$(O)/bench/gen: bench/gen.c $(call upto,svc) | $(O)/gen/vocab.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(DEPCFLAGS) $(LDFLAGS) -o $@ $(filter %.c %.a,$^) $(LIBS)

# the property test's bench run: >= 1,000,000 (principal, item, path)
# checks against a daemon built in $(O) (tests/prop/README.md)
prop-bench: all
	bench/property $(O)

# the fixtures the core tests share (tests/unit/fixtures.h), and the store tests'
$(O)/tests/test_core $(O)/tests/test_policy $(O)/tests/test_policy_adv: $(O)/tests/unit/fixtures.o
$(O)/tests/test_retention: $(O)/tests/unit/fixtures.o
$(O)/tests/test_store $(O)/tests/test_store_tx: $(O)/tests/unit/store_fx.o

unit: $(UNIT_TESTS)
	@tools/run-unit $(UNIT_TESTS)

# make [-jN] fuzz [FUZZ_SECONDS=N]: every target under libFuzzer (clang),
# N seconds each (default 60), from its corpus and dictionary, N targets
# at a time with -jN.  The instrumented objects are built once first
# (fuzz-objects), so two runs never build one object; each target's
# output goes to its log and its final stats are printed as it ends; a
# crash fails the run (tests/fuzz/run-libfuzzer.sh).  make fuzz-NAME runs
# one target, make fuzz-list names them.
FUZZ_SECONDS ?= 60
FUZZ_NAMES := $(patsubst tests/fuzz/fuzz_%.c,%,$(FUZZ_SRC))
fuzz: $(addprefix fuzz-,$(FUZZ_NAMES))
	@echo "fuzz: $(words $(FUZZ_NAMES)) targets, $(FUZZ_SECONDS) s each, no crash"
fuzz-objects:
	+@tests/fuzz/run-libfuzzer.sh --objects
$(addprefix fuzz-,$(FUZZ_NAMES)): fuzz-%: fuzz-objects
	@FUZZ_PREBUILT=1 FUZZ_QUIET=1 tests/fuzz/run-libfuzzer.sh $* $(FUZZ_SECONDS)
fuzz-list:
	@echo $(FUZZ_NAMES) | tr ' ' '\n'
.PHONY: fuzz-objects fuzz-list $(addprefix fuzz-,$(FUZZ_NAMES))

fuzz-replay: $(FUZZ_REPLAY)
	@tools/run-fuzz-replay $(FUZZ_REPLAY)

e2e: all
	@tests/e2e/run $(O)

# web UI: catalogue check; browser tests (playwright-core + Debian chromium)
web-check:
	@tools/check-i18n
	@tools/check-errors

browser: all
	@tests/browser/run $(O)

check: all $(UNIT_TESTS) $(FUZZ_REPLAY)
	@tools/run-checks $(O)

# The PostgreSQL backend against a throwaway cluster (tests/pg/README.md).
check-pg: all $(O)/tests/test_store $(O)/tests/test_store_tx
	@tests/pg/check.sh $(O)

lint: $(O)/cishared
	@tools/lint $(O)

# clang-format (.clang-format) on FILES, or on the C files changed against
# HEAD (staged, unstaged and untracked); never the whole tree, never in check.
FORMAT_FILES = $(or $(FILES),$(filter %.c %.h,$(shell git diff --name-only HEAD -- src tests tools bench 2>/dev/null; \
	git ls-files --others --exclude-standard -- src tests tools bench 2>/dev/null)))
format:
	@$(if $(strip $(FORMAT_FILES)),clang-format -i $(FORMAT_FILES) && echo "formatted: $(FORMAT_FILES)",echo "format: no changed C files (FILES=... to name some)")

# The man pages, from the programs' own --help (tools/gen-man).
man: $(O)/cishared $(O)/cishare
	@mkdir -p $(O)/man
	@tools/gen-man $(O) $(O)/man

# make install [PREFIX=/usr/local] [DESTDIR=...]: an optimised build without
# sanitizers, laid out by the FHS: the daemon in sbin, the client in bin,
# the man pages, the systemd unit and an example environment file
# (docs/operations.md "Installing").
PREFIX	?= /usr/local
SYSCONFDIR ?= $(if $(filter /usr,$(PREFIX)),/etc,$(PREFIX)/etc)
UNITDIR	?= $(if $(filter /usr,$(PREFIX)),/lib/systemd/system,$(PREFIX)/lib/systemd/system)
install:
	$(MAKE) O=build/release SAN= CFLAGS="-O2 -g" all man
	install -d $(DESTDIR)$(PREFIX)/sbin $(DESTDIR)$(PREFIX)/bin \
	    $(DESTDIR)$(PREFIX)/share/man/man8 $(DESTDIR)$(PREFIX)/share/man/man1 \
	    $(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSCONFDIR)/cishare \
	    $(DESTDIR)$(PREFIX)/share/doc/cishare
	install -m 0755 build/release/cishared $(DESTDIR)$(PREFIX)/sbin/cishared
	install -m 0755 build/release/cishare $(DESTDIR)$(PREFIX)/bin/cishare
	install -m 0644 build/release/man/cishared.8 $(DESTDIR)$(PREFIX)/share/man/man8/
	install -m 0644 build/release/man/cishare.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	sed 's#/usr/sbin/cishared#$(PREFIX)/sbin/cishared#' dist/cishared.service \
	    > $(DESTDIR)$(UNITDIR)/cishared.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/cishared.service
	install -m 0640 dist/cishared.env $(DESTDIR)$(SYSCONFDIR)/cishare/cishared.env.example
	install -m 0644 README.md docs/api.md docs/operations.md docs/cli.md \
	    docs/openapi.json $(DESTDIR)$(PREFIX)/share/doc/cishare/

# A Debian package (dpkg-buildpackage; debian/): the service starts on install.
deb:
	dpkg-buildpackage -us -uc -b

# The package on a fresh Debian of this machine's release (debootstrap, a booted
# systemd-nspawn container, apt from the Debian mirror): tests/pkg/fresh-debian.sh.
# Needs root and the mirror, takes minutes: never part of check.
deb-fresh:
	tests/pkg/fresh-debian.sh

# docs/openapi.json, from the route tables (src/http/openapi.c)
openapi: $(O)/cishared
	$(O)/cishared openapi > docs/openapi.json

# the option table of docs/operations.md, from src/daemon/options.c
docs-options: $(O)/cishared
	tools/options-doc $(O)/cishared

run:
	./scripts/install-deps
	$(MAKE) all SAN=
	./scripts/demo-run

clean:
	rm -rf $(O)

.PHONY: all unit e2e check lint run clean fuzz-replay check-pg web-check browser bench vocab docs-options format openapi man install deb deb-fresh fuzz prop-bench
-include $(shell find $(O) -name '*.d' 2>/dev/null)

# CSV exports (issue 11, item 5): the writer's unit test and fuzz target link interop
test_csv_LAYER		:= interop
fuzz_csv_LAYER		:= interop

# federation (issue 11, item 4): the pure part's unit test and fuzz target link interop
test_fed_LAYER		:= interop
fuzz_fed_page_LAYER	:= interop
test_policy_fed_LAYER	:= core

# the TOTP second factor (issue 16, item 3): RFC 6238 vectors, the window
test_totp_LAYER		:= core
