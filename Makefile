# Otdel — two commands do everything: `make run` and `make test`. The rest are the steps they use.
SHELL := /bin/bash
.DEFAULT_GOAL := run

JOBS ?= $(shell nproc)
RELEASE_BIN := build/release/src/app/otdel
DEV_BIN := build/dev/src/app/otdel
DB ?= sqlite:var/otdel.db
HOST ?= 127.0.0.1
PORT ?= 8080

.PHONY: run test bootstrap build-release build-dev web migrate seed serve unit-tests api-tests e2e-tests \
        web-tests format format-check lint-openapi bench clean

## make run: bootstrap, build (Release), migrate, seed the demo workspace, serve on http://127.0.0.1:8080
run: bootstrap build-release web
	@mkdir -p var
	$(RELEASE_BIN) migrate --db $(DB)
	$(RELEASE_BIN) seed-demo --db $(DB)
	@echo "Otdel: open http://$(HOST):$(PORT) (Ctrl+C stops)"
	$(RELEASE_BIN) serve --db $(DB) --host $(HOST) --port $(PORT) --web-root web/dist

## make test: bootstrap, build, every test (unit + store on SQLite and PostgreSQL, API on both, web, e2e)
test: bootstrap build-dev web format-check lint-openapi web-tests unit-tests api-tests e2e-tests
	@echo "make test: all suites passed"

bootstrap:
	./scripts/bootstrap

build-release:
	cmake --preset release >/dev/null
	cmake --build --preset release -j $(JOBS)

build-dev:
	cmake --preset dev >/dev/null
	cmake --build --preset dev -j $(JOBS)

web:
	./scripts/build-web

unit-tests: build-dev
	./scripts/test-unit
	./scripts/fuzz

api-tests: build-dev web
	OTDEL_BIN=$(DEV_BIN) ./scripts/test-api

e2e-tests: build-dev web
	OTDEL_BIN=$(DEV_BIN) ./scripts/test-e2e

web-tests:
	cd web && npm run --silent lint && npm run --silent format:check && npm run --silent test

format-check:
	./scripts/format check

format:
	./scripts/format fix

lint-openapi:
	./scripts/lint-openapi
	./scripts/check-api-types

bench: bootstrap build-release
	OTDEL_BIN=$(RELEASE_BIN) ./bench/run

clean:
	rm -rf build web/dist
