#!/usr/bin/env bash
# make run-scaled: the several-servers topology on one machine, for development and testing.
# PostgreSQL, Redis and a local S3 server (moto) are started if they are not running; then two
# gunicorn instances (ports 8001 and 8002), a task worker, and nginx on port 8000 in front of
# both when nginx is installed (apt-get install nginx; optional). Ctrl-C stops what it started.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
work=$(mktemp -d)
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT INT TERM

if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start
fi
psql -h 127.0.0.1 -U postgres -tc "SELECT 1 FROM pg_database WHERE datname='recruitment_scaled'" \
  | grep -q 1 || psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE recruitment_scaled" >/dev/null
redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 \
  || redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
if ! curl -s http://127.0.0.1:9000 >/dev/null; then
  .venv/bin/moto_server -H 127.0.0.1 -p 9000 >"$work/s3.log" 2>&1 & pids+=($!)
  for _ in $(seq 1 50); do curl -s http://127.0.0.1:9000 >/dev/null && break; sleep 0.2; done
fi

# One SITE_URL for every process below (links in emails): nginx's address, or the first app
# server's without nginx; SITE_URL from the environment wins.
if command -v nginx >/dev/null; then site=http://127.0.0.1:8000; else site=http://127.0.0.1:8001; fi
export SITE_URL="${SITE_URL:-$site}"
export DEBUG=0 ALLOWED_HOSTS=127.0.0.1,localhost SECURE_SSL_REDIRECT=0 SECURE_COOKIES=0 \
  SECURE_HSTS_SECONDS=0 ADMIN_REQUIRE_2FA=0 TRUSTED_PROXIES=127.0.0.1 \
  SECRET_KEY="${SECRET_KEY:-$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')}" \
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/recruitment_scaled \
  REDIS_URL=redis://127.0.0.1:6379/1 STATIC_ROOT="$work/static" \
  S3_BUCKET=agency-cvs S3_ENDPOINT_URL=http://127.0.0.1:9000 S3_ACCESS_KEY_ID=dev \
  S3_SECRET_ACCESS_KEY=dev DJANGO_SUPERUSER_USERNAME="${DJANGO_SUPERUSER_USERNAME:-admin}" \
  DJANGO_SUPERUSER_EMAIL="${DJANGO_SUPERUSER_EMAIL:-kelly@samsmall.example}"
$PY -c "
import boto3, botocore
s3 = boto3.client('s3', endpoint_url='http://127.0.0.1:9000', region_name='eu-west-2',
                  aws_access_key_id='dev', aws_secret_access_key='dev')
try:
    s3.create_bucket(Bucket='agency-cvs', CreateBucketConfiguration={'LocationConstraint': 'eu-west-2'})
except botocore.exceptions.ClientError:
    pass  # already there"
$PY manage.py migrate --noinput -v0
$PY manage.py collectstatic --noinput -v0
$PY manage.py ensure_superuser
$PY manage.py seed_demo

for port in 8001 8002; do
  $PY -m gunicorn -c gunicorn.conf.py -b "127.0.0.1:$port" -w 2 recruitment.wsgi & pids+=($!)
done
$PY manage.py db_worker --no-reload & pids+=($!)

if command -v nginx >/dev/null; then
  cat > "$work/nginx.conf" <<NGINX
daemon off;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events {}
http {
  access_log off;
  client_body_temp_path $work;
  upstream app { server 127.0.0.1:8001; server 127.0.0.1:8002; }
  server {
    listen 127.0.0.1:8000;
    client_max_body_size 12m;
    location / {
      proxy_pass http://app;
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-Proto \$scheme;
      proxy_set_header X-Forwarded-For \$remote_addr;
    }
  }
}
NGINX
  nginx -c "$work/nginx.conf" & pids+=($!)
  echo "Site: http://127.0.0.1:8000/ (nginx, round robin over :8001 and :8002)"
else
  echo "Site: http://127.0.0.1:8001/ and http://127.0.0.1:8002/ (install nginx for one address)"
fi
echo "Links in emails: $SITE_URL/"
echo "Health: /healthz and /readyz on each. Ctrl-C stops everything this started."
wait
