# Sourced by .ci/run (and usable by hand): installs and starts what the tests need (PostgreSQL, Chromium),
# and exports CADENCE_TEST_POSTGRES for the PostgreSQL tests.
export DEBIAN_FRONTEND=noninteractive
missing=()
command -v pg_ctlcluster >/dev/null 2>&1 || missing+=(postgresql)
# The console's browser tests drive Debian's Chromium through Playwright (no browser download).
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# PostgreSQL runs as the postgres user through Debian's cluster tools.
pg_version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
pg_lsclusters -h | awk '{print $2}' | grep -qx main || pg_createcluster "$pg_version" main >/dev/null
pg_ctlcluster "$pg_version" main start 2>/dev/null || true
for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 && break; sleep 1; done
su postgres -c "psql -q -v ON_ERROR_STOP=1" <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'cadence') THEN
    CREATE ROLE cadence LOGIN CREATEDB PASSWORD 'cadence';
  END IF;
END $$;
-- Tests drop their databases WITH (FORCE), which must be able to end an autovacuum worker on them.
GRANT pg_signal_backend TO cadence;
SQL
export CADENCE_TEST_POSTGRES="Host=127.0.0.1;Port=5432;Username=cadence;Password=cadence;Database=postgres"
