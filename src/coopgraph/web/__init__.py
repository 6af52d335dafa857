"""The web service: SPARQL 1.1 Protocol endpoint, linked-data dereferencing, the lineage API and
the browser UI, on FastAPI. `app.create_app` assembles it; `sparql` runs queries in worker
processes that a time limit can really stop."""
