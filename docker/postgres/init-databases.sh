#!/bin/sh
# Run once by the postgres image on an empty data directory (/docker-entrypoint-initdb.d):
# one role and one database each for Synapse and PHI Gate. The cluster is initialised with
# the C locale (POSTGRES_INITDB_ARGS in compose.yaml), which Synapse requires.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v synapse_pw="$SYNAPSE_DB_PASSWORD" -v phigate_pw="$PHIGATE_DB_PASSWORD" <<'SQL'
CREATE ROLE synapse LOGIN PASSWORD :'synapse_pw';
CREATE DATABASE synapse OWNER synapse TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C';
CREATE ROLE phigate LOGIN PASSWORD :'phigate_pw';
CREATE DATABASE phigate OWNER phigate TEMPLATE template0 ENCODING 'UTF8';
SQL
