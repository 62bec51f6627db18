# cishare: one non-recursive GNU Makefile.
#   make            build build/cishared and build/cishare
#   make run        install deps, build, init a demo database, serve on 127.0.0.1:8080
#   make check      every test (unit, e2e, fuzz-corpus replay) under ASan+UBSan
#   make lint       checksrc, include-direction check, cppcheck

CC	?= cc
SAN	?= address,undefined
# Separate trees, so a plain build and a sanitizer build never mix objects.
O	?= build/$(if $(SAN),san,plain)
PKGS	:= libmicrohttpd jansson libsodium sqlite3
CLIPKGS	:= libcurl jansson
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
LIBS	:= $(shell pkg-config --libs $(PKGS)) -lpthread
CLILIBS	:= $(shell pkg-config --libs $(CLIPKGS))
# the daemon's worker sends e-mail and webhooks through libcurl
DAEMONLIBS := $(shell pkg-config --libs libcurl)
CMOCKA	:= $(shell pkg-config --libs cmocka)

UTIL_SRC  := src/util/util.c
CORE_SRC  := $(wildcard src/core/*.c)
STORE_SRC := $(wildcard src/store/*.c src/store/sqlite/*.c)
ifeq ($(PG),1)
STORE_SRC += $(wildcard src/store/pg/*.c)
endif
HTTP_SRC  := $(wildcard src/http/*.c)
API_SRC   := $(wildcard src/api/*.c)
DAEMON_SRC:= $(wildcard src/daemon/*.c)
CLI_SRC   := $(wildcard src/cli/*.c)
DATA_JSON := $(wildcard data/*.json)
VOCAB_IN  := tools/gen-vocab tools/vocab-app.json $(DATA_JSON)
WEB_FILES := $(shell find web -type f \( -name '*.html' -o -name '*.js' -o -name '*.css' -o -name '*.json' -o -name '*.svg' -o -name '*.png' -o -name '*.ico' \) 2>/dev/null | sort)

obj = $(patsubst %.c,$(O)/%.o,$(1))

LIB_OBJ	:= $(call obj,$(UTIL_SRC) $(CORE_SRC) $(STORE_SRC) $(HTTP_SRC) $(API_SRC)) \
	   $(O)/gen/vocab.o $(O)/gen/refdata.o $(O)/gen/webfiles.o

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
$(O)/gen/web-check.stamp: tools/check-i18n $(WEB_FILES) $(DATA_JSON)
	@mkdir -p $(dir $@)
	@tools/check-i18n
	@touch $@

$(O)/gen/webfiles.c: $(O)/tools/embed $(WEB_FILES) $(O)/gen/web-check.stamp
	@mkdir -p $(dir $@)
	$(O)/tools/embed $@ cs_web_files web $(WEB_FILES)

$(O)/gen/%.o: $(O)/gen/%.c
	$(CC) $(CFLAGS) -Isrc -c -o $@ $<

$(O)/cishared: $(LIB_OBJ) $(call obj,$(DAEMON_SRC))
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS) $(DAEMONLIBS)

$(O)/cishare: $(call obj,$(CLI_SRC) $(UTIL_SRC))
	$(CC) $(LDFLAGS) -o $@ $^ $(CLILIBS) -lpthread

# ---- tests -------------------------------------------------------------
UNIT_TESTS := $(patsubst tests/unit/%.c,$(O)/tests/%,$(wildcard tests/unit/test_*.c))
FUZZ_SRC   := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_REPLAY:= $(patsubst tests/fuzz/%.c,$(O)/tests/%,$(FUZZ_SRC))

$(O)/tests/test_%: tests/unit/test_%.c $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(DEPCFLAGS) $(LDFLAGS) -o $@ $(filter-out %.h,$^) $(LIBS) $(CMOCKA)

$(O)/tests/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(DEPCFLAGS) $(LDFLAGS) -o $@ $(filter-out %.h,$^) $(LIBS)

# benchmarks (bench/README.md): builds the data-set generator, runs nothing
bench: $(O)/bench/gen
$(O)/bench/gen: bench/gen.c $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(DEPCFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

unit: $(UNIT_TESTS)
	@tools/run-unit $(UNIT_TESTS)

fuzz-replay: $(FUZZ_REPLAY)
	@tools/run-fuzz-replay $(FUZZ_REPLAY)

e2e: all
	@tests/e2e/run $(O)

# web UI: catalogue check; browser tests (playwright-core + Debian chromium)
web-check:
	@tools/check-i18n

browser: all
	@tests/browser/run $(O)

check: all $(UNIT_TESTS) $(FUZZ_REPLAY)
	@tools/run-checks $(O)

# The PostgreSQL backend against a throwaway cluster (tests/pg/README.md).
check-pg: all $(O)/tests/test_store
	@tests/pg/check.sh $(O)

lint: $(O)/cishared
	@tools/checksrc.sh
	@tools/check-includes.sh
	@tools/gen-vocab --check web/js/vocab.js
	@tools/options-doc --check $(O)/cishared

# the option table of docs/operations.md, from src/daemon/options.c
docs-options: $(O)/cishared
	tools/options-doc $(O)/cishared

run: 
	./scripts/install-deps
	$(MAKE) all SAN=
	./scripts/demo-run

clean:
	rm -rf $(O)

.PHONY: all unit e2e check lint run clean fuzz-replay check-pg web-check browser bench vocab docs-options
-include $(shell find $(O) -name '*.d' 2>/dev/null)
