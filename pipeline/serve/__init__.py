"""`bieu phuc-vu`: the province's intake page, a small web server over one `raw/` and `output/`
(issue 23; docs/server.md). `app.py` the pages and routes, `auth.py` access codes, logins and
CSRF, `store.py` the folder `nop/` beside raw/ with its SQLite history, `worker.py` the one
thread that checks, accepts and builds, `engine.py` the adapter to the check core."""
