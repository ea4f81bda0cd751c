# dbsnap — `make help` lists the targets.
SHELL := /bin/bash
MVN ?= ./mvnw -B -q
PREFIX ?= /usr/local

.DEFAULT_GOAL := help

.PHONY: help
help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

.PHONY: prereqs
prereqs: ## Check that Java 17+ and the PostgreSQL client tools are installed (the other engines' tools are checked when used)
	@command -v java >/dev/null || { echo "Java 17 or newer is needed: apt-get install -y openjdk-17-jdk-headless" >&2; exit 1; }
	@v=$$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1); [ "$$v" -ge 17 ] || { echo "Java 17 or newer is needed, found $$v" >&2; exit 1; }
	@command -v pg_dump >/dev/null || { echo "PostgreSQL client tools are needed (pg_dump, pg_restore, psql): apt-get install -y postgresql-client" >&2; exit 1; }

.PHONY: build
build: prereqs ## Build everything and leave the launcher at bin/dbsnap
	$(MVN) -DskipTests install
	@mkdir -p bin && install -m 0755 cli/src/main/sh/dbsnap bin/dbsnap
	@bash scripts/appcds.sh cli/target/dbsnap.jar cli/target/dbsnap.classlist
	@echo "built bin/dbsnap"

.PHONY: test
test: prereqs ## Run every test (unit and integration, real PostgreSQL, MariaDB, Redis, SQLite and S3Proxy)
	./mvnw -B -ntp install
	@mkdir -p bin && install -m 0755 cli/src/main/sh/dbsnap bin/dbsnap

.PHONY: crds
crds: ## Regenerate the CRDs in crds/ and helm/dbsnap/crds/ from the resource classes in api/
	$(MVN) -DskipTests -pl operator -am install
	@python3 scripts/crds.py

.PHONY: crds-check
crds-check: ## Fail when crds/ differs from what the last build generated (CI runs it after make test)
	@python3 scripts/crds.py >/dev/null
	@git diff --quiet -- crds/ helm/dbsnap/crds/ && test -z "$$(git status --porcelain -- crds/ helm/dbsnap/crds/)" || { git --no-pager diff --stat -- crds/ helm/dbsnap/crds/; git status --short -- crds/ helm/dbsnap/crds/; echo "crds/ or helm/dbsnap/crds/ is stale: run 'make crds' and commit both" >&2; exit 1; }

.PHONY: chart
chart: ## Pack helm/dbsnap as target/chart/dbsnap-VERSION.tgz (helm install / helm push take it)
	@v=$$(sed -n 's/^version: *//p' helm/dbsnap/Chart.yaml); mkdir -p target/chart; \
	tar --sort=name --owner=0 --group=0 --numeric-owner --mtime='2026-01-01 00:00Z' --exclude-from=helm/dbsnap/.helmignore \
	    -C helm -czf target/chart/dbsnap-$$v.tgz dbsnap && echo "wrote target/chart/dbsnap-$$v.tgz"

.PHONY: image
image: build ## The operator's and the agent's images as OCI archives in target/image/ (mmdebstrap, umoci, skopeo; no registry)
	@bash scripts/image.sh

.PHONY: image-check
image-check: ## Run the built images as a container would (read-only root, UID 65532): the operator's reconciles, the agent's snapshots (ImageIT)
	@test -f target/image/oci/index.json || { echo "no images: make image" >&2; exit 1; }
	@rm -rf target/image/check && mkdir -p target/image/check
	@for i in operator agent; do umoci unpack --image target/image/oci:$$i target/image/check/$$i >/dev/null; done
	$(MVN) -pl operator verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=ImageIT

.PHONY: demo
demo: build ## Snapshot, list, verify, change and restore a throwaway PostgreSQL, and check the data
	@bash scripts/demo.sh

.PHONY: bench
bench: build ## Measure dbsnap against pg_dump, gzip and restic (bench/results/latest.md); not a test
	@bash bench/run.sh

.PHONY: bench-restore
bench-restore: build ## Restore side by side: pg_restore from a file, dbsnap restore, SnapshotRestore via the operator; not a test
	@bash bench/restore.sh

.PHONY: bench-mask
bench-mask: build ## Restore with --mask next to unmasked and pg_restore, memory at two sizes (bench/results/mask-latest.md); not a test
	@bash bench/mask.sh

.PHONY: bench-encryption
bench-encryption: build ## dbsnap create/verify/restore with age next to plain and next to pg_dump | zstd | age -r (bench/results/encryption-latest.md); not a test
	@bash bench/encryption.sh

.PHONY: bench-startup
bench-startup: build ## How long dbsnap --version and dbsnap list take, next to restic (bench/results/startup-latest.md); not a test
	@bash bench/startup.sh

.PHONY: bench-operator
bench-operator: build ## A snapshot through the operator next to dbsnap create and the bare dump, with each Job's timeline (bench/results/operator-latest.md); not a test
	@bash bench/operator.sh

.PHONY: bench-scale
bench-scale: build ## 1,000 DatabaseSnapshots applied at once to the packaged operator: time to their Jobs, API requests, heap (bench/results/scale-latest.md); not a test
	@bash bench/scale.sh

.PHONY: bench-engines
bench-engines: build ## Snapshot MariaDB, Redis and SQLite next to their bare tools (prints a table); not a test
	@bash -o pipefail -c 'bash bench/engines.sh | tee bench/results/.engines.md' \
		&& mv bench/results/.engines.md bench/results/engines-latest.md

.PHONY: bench-schedules
bench-schedules: build ## 200 schedules due in one minute (slot-to-create delay) and the operator's memory with 10,000 snapshots; not a test
	@bash bench/schedules.sh

.PHONY: bench-exec
bench-exec: ## Pod exec throughput through the sandbox, both ways, the agent's Vert.x client beside OkHttp; not a test
	$(MVN) -DskipTests -pl sandbox -am install
	@bash bench/exec.sh

.PHONY: install
install: build install-files ## Install dbsnap (and kubectl-dbsnap) into $(PREFIX)/bin

.PHONY: install-files
install-files: # what install copies, from an existing build (the agent's image uses it too)
	install -d $(PREFIX)/lib/dbsnap/lib $(PREFIX)/bin
	install -m 0644 cli/target/dbsnap.jar $(PREFIX)/lib/dbsnap/dbsnap.jar
	rm -f $(PREFIX)/lib/dbsnap/lib/*.jar && install -m 0644 cli/target/lib/*.jar $(PREFIX)/lib/dbsnap/lib/
	install -m 0755 cli/src/main/sh/dbsnap $(PREFIX)/bin/dbsnap
	ln -sf dbsnap $(PREFIX)/bin/kubectl-dbsnap
	bash scripts/appcds.sh $(PREFIX)/lib/dbsnap/dbsnap.jar
	@echo "installed $(PREFIX)/bin/dbsnap and $(PREFIX)/bin/kubectl-dbsnap"

.PHONY: krew
krew: build ## The krew plugin archive and its manifest (target/krew/), checked by running it as krew installs it
	@bash scripts/krew.sh

.PHONY: clean
clean: ## Remove build output (keeps .dbsnap/ snapshots)
	$(MVN) clean
	rm -rf bin
